namespace TuneSharp.Data.Splits;

/// <summary>How <see cref="DataSplitter"/> assigns records.</summary>
public sealed record SplitOptions
{
    /// <summary>Split proportions (ignored by k-fold).</summary>
    public SplitRatios Ratios { get; init; } = SplitRatios.Default;

    /// <summary>Seed of the shuffle; the same seed and input give the same splits.</summary>
    public int Seed { get; init; } = 13;

    /// <summary>Field whose value each split should keep in proportion (e.g. label); null: no stratification.</summary>
    public string? StratifyBy { get; init; }

    /// <summary>Field whose equal values must stay in one split (e.g. a document or user id); null: no groups.</summary>
    public string? GroupBy { get; init; }

    /// <summary>
    /// Computes a record's group when <see cref="GroupBy"/> is null, e.g. a hash of its text so that exact
    /// duplicates share a split; null: no groups.
    /// </summary>
    public Func<DataRecord, string>? GroupKey { get; init; }
}
