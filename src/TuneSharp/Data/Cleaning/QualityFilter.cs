namespace TuneSharp.Data.Cleaning;

/// <summary>
/// Heuristic quality measures in the style of the Gopher rules (Rae et al. 2021): how much of the text is
/// letters, how many lines repeat an earlier line, and how much of the text the most frequent word n-gram covers.
/// </summary>
public static class QualityFilter
{
    /// <summary>Letters divided by non-whitespace characters (1 for empty text, which length filters handle).</summary>
    public static double AlphabeticRatio(string text)
    {
        int letters = 0, visible = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (System.Text.Rune.IsWhiteSpace(rune)) continue;
            visible++;
            if (System.Text.Rune.IsLetter(rune)) letters++;
        }
        return visible == 0 ? 1 : (double)letters / visible;
    }

    /// <summary>Non-empty lines that repeat an earlier line (after trimming), divided by non-empty lines.</summary>
    public static double DuplicateLineFraction(string text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int lines = 0, duplicates = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            lines++;
            if (!seen.Add(line)) duplicates++;
        }
        return lines == 0 ? 0 : (double)duplicates / lines;
    }

    /// <summary>Number of whitespace-separated words.</summary>
    public static int WordCount(string text) => Words(text).Count;

    /// <summary>
    /// Characters covered by the most frequent word n-gram (its count × its characters) divided by the characters
    /// of all words; 0 when the text has fewer than n words.
    /// </summary>
    public static double TopNgramShare(string text, int n)
    {
        var words = Words(text);
        if (words.Count < n || n < 1) return 0;
        long totalChars = words.Sum(w => (long)w.Length);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string top = "";
        int topCount = 0;
        for (int i = 0; i + n <= words.Count; i++)
        {
            var gram = n == 1 ? words[i] : string.Join(' ', words.GetRange(i, n));
            int c = counts.TryGetValue(gram, out var old) ? old + 1 : 1;
            counts[gram] = c;
            if (c > topCount) { topCount = c; top = gram; }
        }
        long gramChars = top.Length - (n - 1); // the n-gram's word characters, without the joining spaces
        return Math.Min(1.0, (double)topCount * gramChars / totalChars);
    }

    static List<string> Words(string text) =>
        [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.ToLowerInvariant())];
}
