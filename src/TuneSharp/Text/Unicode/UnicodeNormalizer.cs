using System.Globalization;
using System.Text;

namespace TuneSharp.Text.Unicode;

/// <summary>
/// TuneSharp's one Unicode normalizer (NFD, NFC, NFKC), used by data cleaning, duplicate keys and tokenizer
/// normalizers alike. Why not <see cref="string.Normalize()"/>: GPU builds (scripts/publish-gpu.sh) run with
/// InvariantGlobalization, where string.Normalize returns non-ASCII text unchanged without any error, so ICU and
/// invariant builds would disagree. The tables come from <c>UnicodeNormalizationData.g.cs</c> (generated from the
/// Unicode Character Database by generate_normalization_data.py).
/// </summary>
public static class UnicodeNormalizer
{
    const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    static readonly Lazy<Tables> tables = new(Tables.Load);

    /// <summary>The Unicode version of the tables.</summary>
    public static string UnicodeVersion => UnicodeNormalizationData.UnicodeVersion;

    /// <summary>Canonical decomposition (NFD): é as e + U+0301, marks in canonical order (tokenizers' "NFD").</summary>
    public static string ToNfd(string text) => Normalize(text, compatibility: false, compose: false);

    /// <summary>Canonical composition (NFC): é as one code point; compatibility characters (ﬁ, ①) are kept.</summary>
    public static string ToNfc(string text) => Normalize(text, compatibility: false);

    /// <summary>Compatibility composition (NFKC): also folds ﬁ → fi, ① → 1, full-width letters, NBSP → space.</summary>
    public static string ToNfkc(string text) => Normalize(text, compatibility: true);

    static string Normalize(string text, bool compatibility, bool compose = true)
    {
        // Fast path: ASCII is invariant under every normalization form.
        if (Ascii.IsValid(text)) return text;
        var t = tables.Value;
        var buf = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes()) Decompose(rune.Value, compatibility, t, buf);
        ReorderCanonically(buf, t);
        if (compose) Compose(buf, t);
        var sb = new StringBuilder(buf.Count);
        foreach (var cp in buf) sb.Append(char.ConvertFromUtf32(cp));
        var result = sb.ToString();
        return result == text ? text : result;
    }

    static void Decompose(int cp, bool compatibility, Tables t, List<int> buf)
    {
        if (cp >= SBase && cp < SBase + SCount)
        {
            int s = cp - SBase;
            buf.Add(LBase + s / NCount);
            buf.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0) buf.Add(TBase + s % TCount);
            return;
        }
        if (compatibility && t.Compatibility.TryGetValue(cp, out var kd)) { buf.AddRange(kd); return; }
        if (t.Canonical.TryGetValue(cp, out var d)) { buf.AddRange(d); return; }
        buf.Add(cp);
    }

    static void ReorderCanonically(List<int> buf, Tables t)
    {
        // Stable insertion sort of each run of non-starters by combining class (runs are short).
        for (int i = 1; i < buf.Count; i++)
        {
            int c = t.Ccc(buf[i]);
            if (c == 0) continue;
            int j = i;
            while (j > 0 && t.Ccc(buf[j - 1]) > c)
            {
                (buf[j - 1], buf[j]) = (buf[j], buf[j - 1]);
                j--;
            }
        }
    }

    static void Compose(List<int> buf, Tables t)
    {
        if (buf.Count == 0) return;
        int starterPos = 0, starter = buf[0];
        int lastClass = t.Ccc(starter) == 0 ? 0 : 256; // a leading non-starter blocks composition
        int write = 1;
        for (int read = 1; read < buf.Count; read++)
        {
            int ch = buf[read], cls = t.Ccc(ch);
            int composite = ComposePair(starter, ch, t);
            if (composite >= 0 && (lastClass < cls || lastClass == 0))
            {
                buf[starterPos] = composite;
                starter = composite;
                continue;
            }
            if (cls == 0) { starterPos = write; starter = ch; }
            lastClass = cls;
            buf[write++] = ch;
        }
        buf.RemoveRange(write, buf.Count - write);
    }

    static int ComposePair(int first, int second, Tables t)
    {
        if (first >= LBase && first < LBase + LCount && second >= VBase && second < VBase + VCount)
            return SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
        if (first >= SBase && first < SBase + SCount && (first - SBase) % TCount == 0 && second > TBase && second < TBase + TCount)
            return first + (second - TBase);
        return t.Compositions.TryGetValue(((long)first << 21) | (uint)second, out var c) ? c : -1;
    }

    sealed class Tables
    {
        public required Dictionary<int, int[]> Canonical { get; init; }
        public required Dictionary<int, int[]> Compatibility { get; init; }
        public required Dictionary<int, byte> Classes { get; init; }
        public required Dictionary<long, int> Compositions { get; init; }

        public int Ccc(int cp) => cp < 0x300 ? 0 : Classes.TryGetValue(cp, out var c) ? c : 0;

        public static Tables Load()
        {
            var classes = new Dictionary<int, byte>();
            foreach (var (key, value) in Entries(UnicodeNormalizationData.CombiningClasses))
            {
                var dash = key.IndexOf('-');
                int lo = Hex(dash < 0 ? key : key[..dash]), hi = dash < 0 ? lo : Hex(key[(dash + 1)..]);
                for (int cp = lo; cp <= hi; cp++) classes[cp] = byte.Parse(value, CultureInfo.InvariantCulture);
            }
            var compositions = new Dictionary<long, int>();
            foreach (var item in Items(UnicodeNormalizationData.Compositions))
            {
                var p = item.Split(' ');
                compositions[((long)Hex(p[0]) << 21) | (uint)Hex(p[1])] = Hex(p[2]);
            }
            return new Tables
            {
                Canonical = Mapping(UnicodeNormalizationData.Canonical),
                Compatibility = Mapping(UnicodeNormalizationData.Compatibility),
                Classes = classes,
                Compositions = compositions,
            };
        }

        static Dictionary<int, int[]> Mapping(string data)
        {
            var map = new Dictionary<int, int[]>();
            foreach (var (key, value) in Entries(data))
                map[Hex(key)] = value.Split(' ').Select(Hex).ToArray();
            return map;
        }

        static IEnumerable<string> Items(string data) =>
            data.Split([';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        static IEnumerable<(string Key, string Value)> Entries(string data)
        {
            foreach (var item in Items(data))
            {
                var colon = item.IndexOf(':');
                yield return (item[..colon], item[(colon + 1)..]);
            }
        }

        static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
