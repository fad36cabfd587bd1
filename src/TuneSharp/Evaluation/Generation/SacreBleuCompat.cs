namespace TuneSharp.Evaluation;

/// <summary>
/// What TuneSharp's BLEU and chrF reproduce, and how their signatures name it. The formulas, defaults
/// and signature layout are sacreBLEU 2.x's (checked against the sacreBLEU 2.0.0 README examples and
/// the 2.x test suite: test_bleu.py, test_sentence_bleu.py, test_chrf.py). The signature's version
/// field names this implementation, not sacreBLEU, so a score is never passed off as sacreBLEU's own.
/// </summary>
public static class SacreBleuCompat
{
    /// <summary>The <c>version</c> field written into BLEU and chrF signatures.</summary>
    public const string Version = "tunesharp-1";

    /// <summary>The sacreBLEU release line whose behaviour is matched.</summary>
    public const string MatchesSacreBleu = "2.x (2.0.0 and later)";

    /// <summary>Formats "name|key:value|...|version:…" (long) or with sacreBLEU's short keys.</summary>
    internal static string Format(string name, IReadOnlyList<(string Key, string Short, string Value)> fields, bool shortForm)
    {
        var parts = new List<string> { name };
        foreach (var (key, abbr, value) in fields) parts.Add($"{(shortForm ? abbr : key)}:{value}");
        parts.Add($"{(shortForm ? "v" : "version")}:{Version}");
        return string.Join("|", parts);
    }
}
