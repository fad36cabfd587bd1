using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>
/// US social security numbers written AAA-GG-SSSS, excluding the ranges never issued: area 000, 666 and
/// 900–999, group 00, serial 0000.
/// </summary>
internal sealed partial class SsnDetector : IPiiDetector
{
    public PiiType Type => PiiType.Ssn;

    [GeneratedRegex(@"(?<![\w\-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w\-])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();

    public IEnumerable<PiiFinding> Find(string text)
    {
        foreach (Match m in Pattern().Matches(text))
            yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
    }
}
