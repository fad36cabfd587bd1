using TuneSharp.Text.Unicode;

namespace TuneSharp.Tokenization;

/// <summary>
/// Finds added tokens in text, leftmost first and longest first (as HF's Aho-Corasick search does),
/// honoring single_word, lstrip and rstrip, and cuts the text around them.
/// </summary>
internal sealed class AddedTokenMatcher
{
    /// <summary>A piece of text: either an added token (with the range it took) or text for the model.</summary>
    public readonly record struct Part(AddedToken? Token, NormalizedText Text);

    readonly Dictionary<char, (string Pattern, AddedToken Token)[]> byFirstChar;

    /// <param name="tokens">The tokens, each with the text to look for (its normalized content if it is normalized).</param>
    public AddedTokenMatcher(IEnumerable<(string Pattern, AddedToken Token)> tokens) =>
        byFirstChar = tokens.Where(t => t.Pattern.Length > 0)
            .GroupBy(t => t.Pattern[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Pattern.Length).ToArray());

    public bool IsEmpty => byFirstChar.Count == 0;

    public List<Part> Split(NormalizedText text)
    {
        var parts = new List<Part>();
        var s = text.Text;
        int lastEnd = 0, i = 0;
        while (i < s.Length)
        {
            var hit = Match(s, i);
            if (hit is null) { i++; continue; }
            var token = hit.Value.Token;
            int start = i, end = i + hit.Value.Pattern.Length;
            if (token.LStrip) while (start > lastEnd && char.IsWhiteSpace(s[start - 1])) start--;
            if (token.RStrip) while (end < s.Length && char.IsWhiteSpace(s[end])) end++;
            if (start > lastEnd) parts.Add(new Part(null, text.Slice(lastEnd, start - lastEnd)));
            parts.Add(new Part(token, text.Slice(start, end - start)));
            lastEnd = i = end;
        }
        if (lastEnd < s.Length) parts.Add(new Part(null, text.Slice(lastEnd, s.Length - lastEnd)));
        return parts;
    }

    (string Pattern, AddedToken Token)? Match(string s, int i)
    {
        if (!byFirstChar.TryGetValue(s[i], out var candidates)) return null;
        foreach (var c in candidates)
        {
            if (i + c.Pattern.Length > s.Length || string.CompareOrdinal(s, i, c.Pattern, 0, c.Pattern.Length) != 0) continue;
            if (c.Token.SingleWord && (IsWordCharBefore(s, i) || IsWordCharAt(s, i + c.Pattern.Length))) continue;
            return c;
        }
        return null;
    }

    static bool IsWordCharBefore(string s, int i)
    {
        if (i == 0) return false;
        int at = i >= 2 && char.IsLowSurrogate(s[i - 1]) && char.IsHighSurrogate(s[i - 2]) ? i - 2 : i - 1;
        return IsWordCharAt(s, at);
    }

    static bool IsWordCharAt(string s, int i) =>
        i < s.Length && CharClasses.IsWordChar(char.IsSurrogatePair(s, i) ? char.ConvertToUtf32(s, i) : s[i]);
}
