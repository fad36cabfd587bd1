namespace TuneSharp.Data.Dedup;

/// <summary>How texts are cut into shingles for MinHash.</summary>
public enum ShingleKind
{
    /// <summary>Runs of n consecutive lower-cased words (robust to reformatting).</summary>
    Word,
    /// <summary>Runs of n consecutive characters after whitespace collapse (robust to tokenization, slower).</summary>
    Character,
}

/// <summary>
/// Near-duplicate settings: MinHash with <see cref="Permutations"/> seeded hash functions; the LSH bands and
/// rows are derived from <see cref="Threshold"/> (see <see cref="LshParameters"/>) unless given; candidate pairs
/// are kept as duplicates only when their estimated Jaccard similarity is at least the threshold.
/// </summary>
public sealed record NearDuplicateOptions
{
    /// <summary>Jaccard similarity at or above which two texts are duplicates.</summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>Number of MinHash permutations (signature length).</summary>
    public int Permutations { get; init; } = 128;

    /// <summary>Shingle kind.</summary>
    public ShingleKind Shingles { get; init; } = ShingleKind.Word;

    /// <summary>Shingle size (words or characters).</summary>
    public int ShingleSize { get; init; } = 3;

    /// <summary>Seed of the hash functions: the same seed gives the same signatures and decisions.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Explicit band count (with <see cref="Rows"/>); null: derived from the threshold.</summary>
    public int? Bands { get; init; }

    /// <summary>Explicit rows per band (with <see cref="Bands"/>); null: derived from the threshold.</summary>
    public int? Rows { get; init; }

    /// <summary>Checks ranges; throws <see cref="UserError"/> naming the option.</summary>
    public void Validate()
    {
        if (!(Threshold > 0 && Threshold <= 1)) throw new UserError($"near-dedup: threshold must be in (0, 1] (got {Threshold})");
        if (Permutations < 2 || Permutations > 4096) throw new UserError($"near-dedup: permutations must be 2..4096 (got {Permutations})");
        if (ShingleSize < 1) throw new UserError($"near-dedup: shingle size must be >= 1 (got {ShingleSize})");
        if (Bands.HasValue != Rows.HasValue) throw new UserError("near-dedup: give both bands and rows, or neither");
        if (Bands is { } b && Rows is { } r && (b < 1 || r < 1 || b * r > Permutations))
            throw new UserError($"near-dedup: bands x rows ({b} x {r}) must be between 1 and permutations ({Permutations})");
    }
}
