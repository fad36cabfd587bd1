namespace TuneSharp.Data.Dedup;

/// <summary>
/// MinHash signatures: for each of <see cref="Permutations"/> seeded hash functions h_i, the minimum of h_i over
/// the text's shingles. The fraction of equal positions in two signatures estimates the Jaccard similarity of
/// the shingle sets. Shingle hashes are already well mixed 64-bit values, so each h_i is multiply-shift
/// hashing, h_i(x) = high 32 bits of (a_i·x + b_i) mod 2^64 with odd a_i (Dietzfelbinger et al.): one multiply
/// per permutation, which is what makes MinHash cheap. a_i, b_i come from SplitMix64(seed): the same seed gives
/// the same signatures on every machine, another seed an independent family.
/// </summary>
public sealed class MinHasher
{
    readonly ulong[] multipliers, offsets;

    /// <summary>Creates the hash family.</summary>
    public MinHasher(int permutations, ulong seed)
    {
        if (permutations < 1) throw new ArgumentOutOfRangeException(nameof(permutations));
        multipliers = new ulong[permutations];
        offsets = new ulong[permutations];
        ulong state = seed;
        for (int i = 0; i < permutations; i++)
        {
            state += 0x9e3779b97f4a7c15UL;
            multipliers[i] = StableHash.Mix(state) | 1;
            state += 0x9e3779b97f4a7c15UL;
            offsets[i] = StableHash.Mix(state);
        }
    }

    /// <summary>Signature length.</summary>
    public int Permutations => multipliers.Length;

    /// <summary>
    /// The signature of a shingle set (32 bits per position: enough to make accidental equal minima
    /// negligible, half the memory of 64). An empty set has the all-ones signature.
    /// </summary>
    public uint[] Signature(IReadOnlyCollection<ulong> shingles)
    {
        int n = multipliers.Length;
        var sig = new uint[n];
        Array.Fill(sig, uint.MaxValue);
        var a = multipliers.AsSpan();
        var b = offsets.AsSpan(0, n);
        var s = sig.AsSpan(0, n);
        foreach (var x in shingles)
        {
            for (int i = 0; i < a.Length; i++)
            {
                var h = (uint)((a[i] * x + b[i]) >> 32);
                if (h < s[i]) s[i] = h;
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
