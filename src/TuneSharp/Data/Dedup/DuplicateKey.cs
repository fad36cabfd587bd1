using System.Text;
using TuneSharp.Text.Unicode;

namespace TuneSharp.Data.Dedup;

/// <summary>
/// The one key that decides what counts as a duplicate, for <c>data validate</c> (<see cref="Validation.ContentHash"/>)
/// and <c>data clean</c> (<see cref="ExactDuplicateIndex"/>) alike: NFKC (the managed <see cref="UnicodeNormalizer"/>,
/// so ICU and invariant-globalization builds agree), lower case, runs of whitespace collapsed to one space, trimmed.
/// </summary>
public static class DuplicateKey
{
    /// <summary>The normalized form of <paramref name="text"/> that duplicate detection hashes.</summary>
    public static string Of(string text)
    {
        var folded = UnicodeNormalizer.ToNfkc(text).ToLowerInvariant();
        var sb = new StringBuilder(folded.Length);
        bool space = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
