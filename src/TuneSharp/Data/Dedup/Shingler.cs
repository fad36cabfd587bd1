using System.Text;

namespace TuneSharp.Data.Dedup;

/// <summary>Cuts text into the set of hashed shingles MinHash works on.</summary>
public static class Shingler
{
    /// <summary>
    /// The distinct 64-bit hashes of the text's shingles. Words are lower-cased and split on whitespace and
    /// punctuation; characters are taken after lower-casing and whitespace collapse. A text shorter than one
    /// shingle yields a single shingle of the whole text, so short texts still compare.
    /// </summary>
    public static HashSet<ulong> Shingle(string text, ShingleKind kind, int size)
    {
        var set = new HashSet<ulong>();
        if (kind == ShingleKind.Word)
        {
            // Words are hashed in place (no substrings); a shingle's hash chains its words' hashes.
            var words = WordHashes(text);
            if (words.Count == 0) return set;
            int n = Math.Min(size, words.Count);
            for (int i = 0; i + n <= words.Count; i++)
            {
                ulong h = 0x2545f4914f6cdd1dUL;
                for (int j = 0; j < n; j++) h = StableHash.Mix(h ^ words[i + j]);
                set.Add(h);
            }
            return set;
        }
        var flat = Flatten(text);
        if (flat.Length == 0) return set;
        if (flat.Length <= size) { set.Add(StableHash.Of(flat)); return set; }
        for (int i = 0; i + size <= flat.Length; i++) set.Add(StableHash.Of(flat.AsSpan(i, size)));
        return set;
    }

    /// <summary>FNV-1a hashes of the lower-cased words (letters, digits, apostrophes), finished with a mix.</summary>
    static List<ulong> WordHashes(string text)
    {
        var words = new List<ulong>();
        ulong h = 0;
        bool inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || char.IsSurrogate(c) || c == '\'')
            {
                if (!inWord) { h = 0xcbf29ce484222325UL; inWord = true; }
                h = (h ^ char.ToLowerInvariant(c)) * 0x100000001b3UL;
            }
            else if (inWord) { words.Add(StableHash.Mix(h)); inWord = false; }
        }
        if (inWord) words.Add(StableHash.Mix(h));
        return words;
    }

    static string Flatten(string text)
    {
        var sb = new StringBuilder(text.Length);
        bool space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
