namespace TuneSharp.Data.Dedup;

/// <summary>
/// MinHash signatures: for each of <see cref="Permutations"/> seeded hash functions h_i, the minimum of h_i over
/// the text's shingles. The fraction of equal positions in two signatures estimates the Jaccard similarity of
/// the shingle sets. h_i(x) = mix(x XOR s_i) with per-function seeds s_i drawn from SplitMix64(seed): a
/// different seed gives an independent family, the same seed the same signatures on every machine.
/// </summary>
public sealed class MinHasher
{
    readonly ulong[] seeds;

    /// <summary>Creates the hash family.</summary>
    public MinHasher(int permutations, ulong seed)
    {
        if (permutations < 1) throw new ArgumentOutOfRangeException(nameof(permutations));
        seeds = new ulong[permutations];
        ulong state = seed;
        for (int i = 0; i < permutations; i++)
        {
            state += 0x9e3779b97f4a7c15UL;
            seeds[i] = StableHash.Mix(state);
        }
    }

    /// <summary>Signature length.</summary>
    public int Permutations => seeds.Length;

    /// <summary>
    /// The signature of a shingle set (32 bits per position: enough to make accidental equal minima
    /// negligible, half the memory of 64). An empty set has the all-ones signature.
    /// </summary>
    public uint[] Signature(IReadOnlyCollection<ulong> shingles)
    {
        var sig = new uint[seeds.Length];
        Array.Fill(sig, uint.MaxValue);
        foreach (var x in shingles)
        {
            for (int i = 0; i < seeds.Length; i++)
            {
                var h = (uint)(StableHash.Mix(x ^ seeds[i]) >> 32);
                if (h < sig[i]) sig[i] = h;
            }
        }
        return sig;
    }

    /// <summary>Fraction of positions where two signatures agree: the estimated Jaccard similarity.</summary>
    public static double EstimateJaccard(uint[] a, uint[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException("signatures of different lengths");
        int equal = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) equal++;
        return (double)equal / a.Length;
    }
}
