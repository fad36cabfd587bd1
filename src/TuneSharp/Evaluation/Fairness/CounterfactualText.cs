using System.Text;
using System.Text.RegularExpressions;

namespace TuneSharp.Evaluation.Fairness;

/// <summary>
/// Rewrites a text with every identity term swapped, keeping each word's case (he → she, He → She, HE → SHE). Terms
/// match in any case; first names only when capitalised, as names are written.
/// </summary>
public static partial class CounterfactualText
{
    /// <summary>The counterfactual text and how many words were swapped (0: the text names no identity term).</summary>
    public static (string Text, int Swaps) Swap(string text, IReadOnlyDictionary<string, string> terms, IReadOnlyDictionary<string, string>? names = null)
    {
        int swaps = 0;
        var result = Word().Replace(text, m =>
        {
            var lower = m.Value.ToLowerInvariant();
            if (!terms.TryGetValue(lower, out var to) && !(names is not null && char.IsUpper(m.Value[0]) && names.TryGetValue(lower, out to))) return m.Value;
            swaps++;
            return MatchCase(m.Value, to);
        });
        return (result, swaps);
    }

    static string MatchCase(string original, string replacement)
    {
        if (original.Length > 1 && original.All(c => !char.IsLetter(c) || char.IsUpper(c))) return replacement.ToUpperInvariant();
        if (char.IsUpper(original[0]))
            return new StringBuilder(replacement.Length).Append(char.ToUpperInvariant(replacement[0])).Append(replacement, 1, replacement.Length - 1).ToString();
        return replacement;
    }

    // Letters only: "he's" swaps "he" and keeps "'s"; "the" and "shed" are other words and stay.
    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();
}
