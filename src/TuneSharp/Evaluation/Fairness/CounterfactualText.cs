using System.Text;
using System.Text.RegularExpressions;

namespace TuneSharp.Evaluation.Fairness;

/// <summary>A piece of a text under the identity swap: shared by both texts, or a swapped term (original, counterfactual).</summary>
public sealed record TextPiece(string Original, string Counterfactual, bool Swapped);

/// <summary>
/// Rewrites a text with every identity term swapped, keeping each word's case (he → she, He → She, HE → SHE). Terms
/// match in any case; first names only when capitalised, as names are written.
/// </summary>
public static partial class CounterfactualText
{
    /// <summary>The counterfactual text and how many words were swapped (0: the text names no identity term).</summary>
    public static (string Text, int Swaps) Swap(string text, IReadOnlyDictionary<string, string> terms, IReadOnlyDictionary<string, string>? names = null)
    {
        var pieces = Pieces(text, terms, names);
        return (string.Concat(pieces.Select(p => p.Counterfactual)), pieces.Count(p => p.Swapped));
    }

    /// <summary>
    /// The text cut at its identity terms: shared pieces (the same in both texts) and swapped terms (original and
    /// counterfactual spelling), in order. Concatenating the originals gives the text back. A shared piece's trailing
    /// whitespace moves to the start of the next piece, so that every piece after the first starts with its space,
    /// as byte-level BPE tokenizes words (" She").
    /// </summary>
    public static IReadOnlyList<TextPiece> Pieces(string text, IReadOnlyDictionary<string, string> terms, IReadOnlyDictionary<string, string>? names = null)
    {
        var pieces = new List<TextPiece>();
        int at = 0;
        foreach (Match m in Word().Matches(text))
        {
            var lower = m.Value.ToLowerInvariant();
            if (!terms.TryGetValue(lower, out var to) && !(names is not null && char.IsUpper(m.Value[0]) && names.TryGetValue(lower, out to))) continue;
            var shared = text[at..m.Index];
            var trimmed = shared.TrimEnd();
            if (trimmed.Length > 0) pieces.Add(new TextPiece(trimmed, trimmed, false));
            var space = shared[trimmed.Length..];
            pieces.Add(new TextPiece(space + m.Value, space + MatchCase(m.Value, to), true));
            at = m.Index + m.Length;
        }
        if (at < text.Length || pieces.Count == 0) pieces.Add(new TextPiece(text[at..], text[at..], false));
        return pieces;
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
