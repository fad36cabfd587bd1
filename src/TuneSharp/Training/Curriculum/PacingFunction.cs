namespace TuneSharp.Training.Curriculum;

/// <summary>The share of the difficulty-ranked data available at a point of the run.</summary>
public static class PacingFunction
{
    /// <summary>
    /// Competence at <paramref name="progress"/> (0 = first step, 1 = the end of the pacing phase):
    /// Platanios et al. 2019's square-root pacing, c(t) = min(1, sqrt(t·(1 − c0²) + c0²)), so that the data
    /// added per step shrinks as 1/c: each new example gets about the same number of updates.
    /// </summary>
    public static double Competence(double progress, double initial) =>
        Math.Min(1.0, Math.Sqrt(Math.Max(0, progress) * (1 - initial * initial) + initial * initial));

    /// <summary>Baby steps: buckets 1..k of <paramref name="buckets"/> are open, k growing by one per equal share of the pacing phase.</summary>
    public static double BabySteps(double progress, int buckets) =>
        Math.Min(buckets, Math.Floor(Math.Max(0, progress) * buckets) + 1) / buckets;

    /// <summary>The available share of the data for the options' pacing.</summary>
    public static double Share(CurriculumOptions o, double progress) => o.Pacing switch
    {
        Pacing.BabySteps => BabySteps(progress, o.Buckets),
        _ => Competence(progress, o.InitialCompetence),
    };
}
