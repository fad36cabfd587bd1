namespace TuneSharp.Data.Dedup;

/// <summary>
/// Streaming near-duplicate detector: MinHash + LSH. Each text's signature is split into bands; texts sharing a
/// band bucket are candidates, verified by estimated Jaccard ≥ threshold. The first occurrence is kept: only kept
/// texts enter the index. Memory holds signatures and band buckets, never texts.
/// </summary>
public sealed class NearDuplicateIndex
{
    readonly NearDuplicateOptions options;
    readonly MinHasher hasher;
    readonly List<uint[]> signatures = [];
    readonly List<object?> tags = [];
    // bucket key → first item; further items sharing a key (rare) go to overflow.
    readonly Dictionary<ulong, int> buckets = [];
    readonly Dictionary<ulong, List<int>> overflow = [];

    /// <summary>Creates an empty index.</summary>
    public NearDuplicateIndex(NearDuplicateOptions options)
    {
        options.Validate();
        this.options = options;
        hasher = new MinHasher(options.Permutations, options.Seed);
        Parameters = options.Bands is { } b && options.Rows is { } r
            ? new LshParameters(b, r)
            : LshParameters.ForThreshold(options.Threshold, options.Permutations);
    }

    /// <summary>The bands and rows in use.</summary>
    public LshParameters Parameters { get; }

    /// <summary>Number of texts kept in the index.</summary>
    public int Count => signatures.Count;

    /// <summary>
    /// Checks a text against the kept ones. When it is a near-duplicate, returns the match (the tag given when
    /// the kept text was added, and the estimated Jaccard) and does not add it; otherwise adds it under
    /// <paramref name="tag"/> and returns null.
    /// </summary>
    public NearDuplicateMatch? AddOrMatch(string text, object? tag = null)
    {
        var sig = hasher.Signature(Shingler.Shingle(text, options.Shingles, options.ShingleSize));
        var keys = BandKeys(sig);
        var checkedItems = new HashSet<int>();
        NearDuplicateMatch? best = null;
        int bestItem = -1;
        foreach (var key in keys)
        {
            if (!buckets.TryGetValue(key, out var first)) continue;
            Verify(first);
            if (overflow.TryGetValue(key, out var more)) foreach (var item in more) Verify(item);
        }
        if (best != null) return best;

        int id = signatures.Count;
        signatures.Add(sig);
        tags.Add(tag);
        foreach (var key in keys)
        {
            if (!buckets.TryAdd(key, id))
            {
                if (!overflow.TryGetValue(key, out var list)) overflow[key] = list = [];
                list.Add(id);
            }
        }
        return null;

        void Verify(int item)
        {
            if (!checkedItems.Add(item)) return;
            double j = MinHasher.EstimateJaccard(sig, signatures[item]);
            // Keep the earliest kept text among equally similar matches, for a stable report.
            if (j >= options.Threshold && (best == null || j > best.Jaccard || (j == best.Jaccard && item < bestItem)))
            {
                best = new NearDuplicateMatch(tags[item], j);
                bestItem = item;
            }
        }
    }

    ulong[] BandKeys(uint[] sig)
    {
        var (bands, rows) = Parameters;
        var keys = new ulong[bands];
        for (int b = 0; b < bands; b++)
        {
            // Band index is mixed in so equal rows in different bands are different buckets.
            ulong h = StableHash.Mix((ulong)b + 0x51ed270b27a2d3c5UL);
            for (int r = 0; r < rows; r++) h = StableHash.Mix(h ^ sig[b * rows + r]);
            keys[b] = h;
        }
        return keys;
    }
}

/// <summary>A near-duplicate match: the tag of the kept text and the estimated Jaccard similarity.</summary>
public sealed record NearDuplicateMatch(object? Tag, double Jaccard);
