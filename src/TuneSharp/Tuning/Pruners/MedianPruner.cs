namespace TuneSharp.Tuning.Pruners;

/// <summary>
/// Optuna's MedianPruner: once <c>nStartupTrials</c> trials have completed and the trial is past
/// <c>nWarmupSteps</c>, prune when the trial's best intermediate value so far is worse than the median of the
/// completed trials' values at the same step. Steps where no completed trial reported leave the trial running.
/// </summary>
public sealed class MedianPruner(int nStartupTrials, int nWarmupSteps) : IPruner
{
    public bool ShouldPrune(TrialRecord trial, IReadOnlyList<TrialRecord> all, int step, bool maximize)
    {
        var completed = all.Where(t => t.State == TrialState.Complete && t.Id != trial.Id).ToList();
        if (completed.Count < nStartupTrials || step < nWarmupSteps) return false;
        var sofar = trial.Intermediate.Where(kv => kv.Key <= step).Select(kv => kv.Value).Where(double.IsFinite).ToList();
        if (sofar.Count == 0) return true; // only NaN so far: nothing to keep it for
        double best = maximize ? sofar.Max() : sofar.Min();
        var atStep = completed.Where(t => t.Intermediate.ContainsKey(step)).Select(t => t.Intermediate[step]).Where(double.IsFinite).ToList();
        if (atStep.Count == 0) return false;
        double median = Median(atStep);
        return maximize ? best < median : best > median;
    }

    /// <summary>The median, averaging the two middle values of an even count (numpy's nanpercentile at 50).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var s = values.Order().ToArray();
        int m = s.Length / 2;
        return s.Length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}
