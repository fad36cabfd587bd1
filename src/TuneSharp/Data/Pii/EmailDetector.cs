using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>Email addresses: a local part, @, one or more domain labels and an alphabetic TLD (so user@localhost is not one).</summary>
internal sealed partial class EmailDetector : IPiiDetector
{
    public PiiType Type => PiiType.Email;

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9\-]|\.[A-Za-z0-9])",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();

    public IEnumerable<PiiFinding> Find(string text)
    {
        foreach (Match m in Pattern().Matches(text))
            yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
    }
}
