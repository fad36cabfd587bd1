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
            var words = Words(text);
            if (words.Count == 0) return set;
            if (words.Count < size) { set.Add(StableHash.Of(string.Join(' ', words))); return set; }
            var sb = new StringBuilder();
            for (int i = 0; i + size <= words.Count; i++)
            {
                sb.Clear();
                for (int j = 0; j < size; j++) { if (j > 0) sb.Append(' '); sb.Append(words[i + j]); }
                set.Add(StableHash.Of(sb.ToString()));
            }
            return set;
        }
        var flat = Flatten(text);
        if (flat.Length == 0) return set;
        if (flat.Length <= size) { set.Add(StableHash.Of(flat)); return set; }
        for (int i = 0; i + size <= flat.Length; i++) set.Add(StableHash.Of(flat.AsSpan(i, size)));
        return set;
    }

    static List<string> Words(string text)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool wordChar = i < text.Length && (char.IsLetterOrDigit(text[i]) || char.IsSurrogate(text[i]) || text[i] == '\'');
            if (wordChar) { if (start < 0) start = i; }
            else if (start >= 0) { words.Add(text[start..i].ToLowerInvariant()); start = -1; }
        }
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
