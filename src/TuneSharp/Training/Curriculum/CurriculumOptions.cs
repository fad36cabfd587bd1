namespace TuneSharp.Training.Curriculum;

/// <summary>How hard an example is: its token length, a reference model's loss on it, or a number in the data.</summary>
public enum DifficultySource { Length, Loss, Field }

/// <summary>
/// How fast harder examples are let in. Baby steps (Bengio et al. 2009; Spitkovsky et al. 2010): the sorted data is cut
/// into buckets, released one at a time. Competence (Platanios et al. 2019): at each step the easiest c(t) share of the
/// data is available, c growing as a square root.
/// </summary>
public enum Pacing { Competence, BabySteps }

/// <summary>
/// A curriculum: the recipe's <c>curriculum:</c> section. Examples are ranked by difficulty; early batches are drawn
/// from the easiest, and after <see cref="PacingRatio"/> of the run every example is in play.
/// </summary>
public sealed record CurriculumOptions
{
    public DifficultySource Difficulty { get; init; } = DifficultySource.Length;
    /// <summary>With <see cref="DifficultySource.Field"/>: the numeric field holding each example's difficulty.</summary>
    public string? Field { get; init; }
    /// <summary>With <see cref="DifficultySource.Loss"/>: the model folder whose loss ranks the examples; null = the model being trained, before training.</summary>
    public string? ReferenceModel { get; init; }
    public Pacing Pacing { get; init; } = Pacing.Competence;
    /// <summary>Anti-curriculum (the control): hardest first.</summary>
    public bool HardFirst { get; init; }
    /// <summary>Share of the run's optimizer steps after which the whole data set is in play (Platanios' T over total steps).</summary>
    public double PacingRatio { get; init; } = 0.5;
    /// <summary>Competence at step 0: the share of the (easiest) data available at the start (Platanios' c0).</summary>
    public double InitialCompetence { get; init; } = 0.1;
    /// <summary>Baby steps: number of buckets, released in order.</summary>
    public int Buckets { get; init; } = 5;
}
