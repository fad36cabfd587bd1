using System.Text.RegularExpressions;

namespace TuneSharp.Evaluation;

/// <summary>
/// Normalisations applied to both sides before comparing, in the order of Hugging Face
/// <c>evaluate</c>'s exact_match: regexes removed, then case, punctuation, digits; <see cref="Trim"/> last.
/// </summary>
/// <param name="Trim">Strip leading and trailing whitespace.</param>
/// <param name="IgnoreCase">Compare lowercased text.</param>
/// <param name="IgnorePunctuation">Remove ASCII punctuation (Python's <c>string.punctuation</c>).</param>
/// <param name="IgnoreNumbers">Remove ASCII digits.</param>
/// <param name="RegexesToIgnore">Patterns whose matches are deleted first, one after the other.</param>
public sealed record ExactMatchOptions(
    bool Trim = false,
    bool IgnoreCase = false,
    bool IgnorePunctuation = false,
    bool IgnoreNumbers = false,
    IReadOnlyList<string>? RegexesToIgnore = null)
{
    /// <summary>The settings as a one-line description.</summary>
    public string Settings =>
        $"exact_match|trim:{YesNo(Trim)}|case:{(IgnoreCase ? "lc" : "mixed")}|punct:{(IgnorePunctuation ? "removed" : "kept")}" +
        $"|digits:{(IgnoreNumbers ? "removed" : "kept")}|regexes:{RegexesToIgnore?.Count ?? 0}";

    static string YesNo(bool b) => b ? "yes" : "no";
}

/// <summary>Exact string match rate between predictions and references.</summary>
public static class ExactMatch
{
    const string Metric = "exact_match";
    const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Fraction (0–1) of pairs equal after normalisation.</summary>
    public static double Score(IReadOnlyList<string> predictions, IReadOnlyList<string> references, ExactMatchOptions? options = null)
    {
        EvalGuard.NotNull(Metric, predictions, "predictions");
        EvalGuard.NotNull(Metric, references, "references");
        EvalGuard.SameLength(Metric, predictions.Count, references.Count);
        EvalGuard.NotEmpty(Metric, predictions.Count, "predictions");
        options ??= new ExactMatchOptions();
        var regexes = (options.RegexesToIgnore ?? []).Select(p => Compile(p)).ToList();
        int matches = 0;
        for (int i = 0; i < predictions.Count; i++)
        {
            string p = Normalize(EvalGuard.NotNull(Metric, predictions[i], $"prediction {i}"), options, regexes);
            string r = Normalize(EvalGuard.NotNull(Metric, references[i], $"reference {i}"), options, regexes);
            if (string.Equals(p, r, StringComparison.Ordinal)) matches++;
        }
        return (double)matches / predictions.Count;
    }

    /// <summary>The text after the options' normalisation.</summary>
    public static string Normalize(string text, ExactMatchOptions options)
        => Normalize(text, options, (options.RegexesToIgnore ?? []).Select(p => Compile(p)).ToList());

    static string Normalize(string text, ExactMatchOptions options, List<Regex> regexes)
    {
        foreach (var re in regexes) text = re.Replace(text, "");
        if (options.IgnoreCase) text = text.ToLowerInvariant();
        if (options.IgnorePunctuation) text = string.Concat(text.Where(c => !AsciiPunctuation.Contains(c)));
        if (options.IgnoreNumbers) text = string.Concat(text.Where(c => c < '0' || c > '9'));
        if (options.Trim) text = text.Trim();
        return text;
    }

    static Regex Compile(string pattern)
    {
        try { return new Regex(pattern, RegexOptions.CultureInvariant); }
        catch (ArgumentException e) { throw new UserError($"{Metric}: regex '{pattern}' is invalid: {e.Message}", e); }
    }
}
