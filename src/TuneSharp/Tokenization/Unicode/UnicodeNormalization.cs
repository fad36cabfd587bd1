using System.Globalization;
using System.Text;

namespace TuneSharp.Tokenization.Unicode;

/// <summary>
/// NFD and NFC for tokenizer normalizers. TuneSharp runs with InvariantGlobalization, where
/// <see cref="string.Normalize()"/> does nothing, so the Unicode algorithms run here on the
/// tables of <see cref="UnicodeTables"/> (canonical forms only; compatibility forms are not needed
/// by the supported normalizers).
/// </summary>
internal static class UnicodeNormalization
{
    const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    static readonly Dictionary<int, int[]> decompositions = new();
    static readonly Dictionary<long, int> compositions = new();
    static readonly List<(int First, int Last, int Class)> classes = new();

    static UnicodeNormalization()
    {
        foreach (var entry in UnicodeTables.Decompositions.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = entry.IndexOf(':');
            var head = entry[..colon];
            bool primary = head.EndsWith('*');
            int cp = int.Parse(primary ? head[..^1] : head, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var parts = entry[(colon + 1)..].Split(' ').Select(p => int.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
            decompositions[cp] = parts;
            if (primary) compositions[Key(parts[0], parts[1])] = cp;
        }
        foreach (var entry in UnicodeTables.CombiningClasses.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = entry.IndexOf('-'), colon = entry.IndexOf(':');
            classes.Add((int.Parse(entry[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                         int.Parse(entry[(dash + 1)..colon], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                         int.Parse(entry[(colon + 1)..], CultureInfo.InvariantCulture)));
        }
    }

    static long Key(int a, int b) => ((long)a << 21) | (uint)b;

    /// <summary>The canonical combining class of a code point (0 for starters).</summary>
    public static int CombiningClass(int cp)
    {
        int lo = 0, hi = classes.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            var (first, last, cls) = classes[mid];
            if (cp < first) hi = mid - 1;
            else if (cp > last) lo = mid + 1;
            else return cls;
        }
        return 0;
    }

    /// <summary>NFD of a string.</summary>
    public static string Nfd(string text) => ToString(DecomposeAll(text));

    /// <summary>NFC of a string.</summary>
    public static string Nfc(string text)
    {
        var cps = DecomposeAll(text);
        Compose(cps);
        return ToString(cps);
    }

    static List<int> DecomposeAll(string text)
    {
        var cps = new List<int>(text.Length + 4);
        foreach (var rune in text.EnumerateRunes()) Decompose(rune.Value, cps);
        // Canonical ordering: a stable sort of each run of non-starters by combining class.
        for (int i = 1; i < cps.Count; i++)
        {
            int cls = CombiningClass(cps[i]);
            if (cls == 0) continue;
            for (int j = i; j > 0; j--)
            {
                int prev = CombiningClass(cps[j - 1]);
                if (prev <= cls) break;
                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
            }
        }
        return cps;
    }

    static void Decompose(int cp, List<int> output)
    {
        if (cp >= SBase && cp < SBase + SCount)
        {
            int s = cp - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0) output.Add(TBase + s % TCount);
            return;
        }
        if (decompositions.TryGetValue(cp, out var parts))
            foreach (var p in parts) Decompose(p, output);
        else
            output.Add(cp);
    }

    static void Compose(List<int> cps)
    {
        if (cps.Count == 0) return;
        int starter = 0, lastClass = CombiningClass(cps[0]) == 0 ? 0 : 256;
        int write = 1;
        for (int read = 1; read < cps.Count; read++)
        {
            int cp = cps[read], cls = CombiningClass(cp);
            int composed = ComposePair(cps[starter], cp);
            // A character composes with the last starter unless a character of equal or higher class sits between them.
            if (composed >= 0 && (lastClass < cls || lastClass == 0 && write == starter + 1))
            {
                cps[starter] = composed;
                continue;
            }
            if (cls == 0) starter = write;
            lastClass = cls;
            cps[write++] = cp;
        }
        cps.RemoveRange(write, cps.Count - write);
    }

    static int ComposePair(int a, int b)
    {
        if (a >= LBase && a < LBase + LCount && b >= VBase && b < VBase + VCount)
            return SBase + ((a - LBase) * VCount + (b - VBase)) * TCount;
        if (a >= SBase && a < SBase + SCount && (a - SBase) % TCount == 0 && b > TBase && b < TBase + TCount)
            return a + (b - TBase);
        return compositions.TryGetValue(Key(a, b), out var c) ? c : -1;
    }

    static string ToString(List<int> cps)
    {
        var sb = new StringBuilder(cps.Count);
        foreach (var cp in cps) sb.Append(char.ConvertFromUtf32(cp));
        return sb.ToString();
    }
}
