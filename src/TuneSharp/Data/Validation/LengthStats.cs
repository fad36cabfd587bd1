namespace TuneSharp.Data.Validation;

/// <summary>Token-length statistics: a power-of-two histogram, percentiles and the training-token estimate.</summary>
public sealed class LengthStats
{
    /// <summary>Upper bounds (exclusive) of the histogram buckets; the last bucket is open-ended.</summary>
    public static readonly int[] BucketBounds = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

    readonly List<int> lengths = new();
    readonly long[] buckets = new long[BucketBounds.Length + 1];

    /// <summary>Number of examples measured.</summary>
    public int Count => lengths.Count;

    /// <summary>Sum of all lengths (before any truncation).</summary>
    public long Total { get; private set; }

    /// <summary>Tokens training would see per epoch, after the truncation policy.</summary>
    public long TrainingTokens { get; private set; }

    /// <summary>Counts per bucket; index i covers [bound(i-1), bound(i)).</summary>
    public IReadOnlyList<long> Buckets => buckets;

    /// <summary>Adds one example of <paramref name="length"/> tokens, of which <paramref name="trained"/> would be trained on.</summary>
    public void Add(int length, int trained)
    {
        lengths.Add(length);
        Total += length;
        TrainingTokens += trained;
        int i = 0;
        while (i < BucketBounds.Length && length >= BucketBounds[i]) i++;
        buckets[i]++;
    }

    /// <summary>The bucket's label, e.g. "16-31" or "8192+".</summary>
    public static string BucketLabel(int i) =>
        i == BucketBounds.Length ? $"{BucketBounds[^1]}+" : $"{(i == 0 ? 0 : BucketBounds[i - 1])}-{BucketBounds[i] - 1}";

    /// <summary>The nearest-rank percentile (0..100) of the lengths; 0 when empty.</summary>
    public int Percentile(double p)
    {
        if (lengths.Count == 0) return 0;
        lengths.Sort();
        int rank = (int)Math.Ceiling(p / 100.0 * lengths.Count);
        return lengths[Math.Clamp(rank - 1, 0, lengths.Count - 1)];
    }

    /// <summary>The largest length; 0 when empty.</summary>
    public int Max => lengths.Count == 0 ? 0 : lengths.Max();

    /// <summary>The mean length; 0 when empty.</summary>
    public double Mean => lengths.Count == 0 ? 0 : (double)Total / lengths.Count;
}
