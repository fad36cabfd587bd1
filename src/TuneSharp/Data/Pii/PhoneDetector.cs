using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>
/// Phone numbers. Two shapes, chosen for precision: international numbers starting with + (E.164: 8–15 digits
/// in all, groups separated by spaces, dots or dashes, an optional parenthesised area or trunk code); and North
/// American numbers with separators or parentheses whose area code and exchange start with 2–9. Bare digit runs
/// are not phones here: they are far more often order numbers, timestamps or IDs.
/// </summary>
internal sealed partial class PhoneDetector : IPiiDetector
{
    public PiiType Type => PiiType.Phone;

    [GeneratedRegex(@"(?<![\w+])\+[1-9]\d{0,3}(?:[ .\-]?\(\d{1,4}\)[ .\-]?\d{1,10}|[ .\-]\d{1,10}){1,6}(?![\w\-]|[.]\d)|(?<![\w+])\+[1-9]\d{7,14}(?![\w\-]|[.]\d)",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex International();

    [GeneratedRegex(@"(?<![\w+\-.])(?:1[ .\-])?(?:\([2-9]\d{2}\)[ .\-]?|[2-9]\d{2}[ .\-])[2-9]\d{2}[ .\-]\d{4}(?![\w\-]|[.]\d)",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex NorthAmerican();

    public IEnumerable<PiiFinding> Find(string text)
    {
        foreach (Match m in International().Matches(text))
        {
            int digits = m.Value.Count(char.IsAsciiDigit);
            if (digits is >= 8 and <= 15) yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
        }
        foreach (Match m in NorthAmerican().Matches(text))
        {
            // A dotted 3.3.4 run is only a phone when the separators agree (415.555.2671); mixed dots read as versions.
            var seps = m.Value.Where(c => c is '.' or '-' or ' ').Distinct().Count();
            if (m.Value.Contains('.') && seps > 1) continue;
            yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
        }
    }
}
