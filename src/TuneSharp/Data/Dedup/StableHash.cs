namespace TuneSharp.Data.Dedup;

/// <summary>
/// Deterministic 64-bit hashing (string.GetHashCode is randomized per process, which would make
/// dedup decisions differ between runs).
/// </summary>
public static class StableHash
{
    /// <summary>FNV-1a over the UTF-16 code units, finished with a SplitMix64 mix for good low bits.</summary>
    public static ulong Of(ReadOnlySpan<char> text)
    {
        ulong h = 0xcbf29ce484222325UL;
        foreach (var c in text)
        {
            h ^= c;
            h *= 0x100000001b3UL;
        }
        return Mix(h);
    }

    /// <summary>The SplitMix64 finalizer: a bijective avalanche mix.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
