using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>
/// Payment card numbers: 13–19 digits starting with 2–6 (the issuer ranges of Visa, Mastercard, Amex, Discover,
/// JCB, Diners, UnionPay, Maestro), either unseparated or in groups split by one kind of separator, and passing
/// the Luhn checksum. A 13-digit millisecond timestamp starts with 1 and is not a card.
/// </summary>
internal sealed partial class CreditCardDetector : IPiiDetector
{
    public PiiType Type => PiiType.CreditCard;

    [GeneratedRegex(@"(?<!\d[ \-]?)[2-6]\d{3}(?:[ \-]?\d){9,15}(?![ \-]?\d)",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();

    public IEnumerable<PiiFinding> Find(string text)
    {
        foreach (Match m in Pattern().Matches(text))
            if (HasCardGrouping(m.Value) && Luhn.IsValid(m.Value.Where(char.IsAsciiDigit)))
                yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
    }

    static bool HasCardGrouping(string s)
    {
        var seps = s.Where(c => c is ' ' or '-').Distinct().ToList();
        if (seps.Count == 0) return true;
        if (seps.Count > 1) return false;
        var groups = s.Split(seps[0]);
        for (int i = 0; i < groups.Length; i++)
        {
            int len = groups[i].Length;
            if (i < groups.Length - 1 ? len is < 4 or > 6 : len is < 1 or > 6) return false;
        }
        return true;
    }
}

/// <summary>The Luhn mod-10 checksum used by payment card numbers.</summary>
public static class Luhn
{
    /// <summary>True when the digits pass the Luhn check.</summary>
    public static bool IsValid(IEnumerable<char> digits)
    {
        var d = digits.ToArray();
        if (d.Length < 2) return false;
        int sum = 0;
        for (int i = 0; i < d.Length; i++)
        {
            int v = d[d.Length - 1 - i] - '0';
            if (v is < 0 or > 9) return false;
            if (i % 2 == 1) { v *= 2; if (v > 9) v -= 9; }
            sum += v;
        }
        return sum % 10 == 0;
    }
}
