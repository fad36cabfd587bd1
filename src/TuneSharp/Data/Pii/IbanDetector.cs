using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>
/// IBANs: a known country code, two check digits, the country's exact length (ISO 13616 registry), printed
/// compactly or in groups of four, and a valid mod-97 checksum. Unknown countries are not reported: the
/// checksum alone accepts 1 in 97 random strings.
/// </summary>
internal sealed partial class IbanDetector : IPiiDetector
{
    public PiiType Type => PiiType.Iban;

    /// <summary>Total IBAN length by country (ISO 13616 registry).</summary>
    internal static readonly IReadOnlyDictionary<string, int> Lengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BR"] = 29, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18,
        ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22,
        ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22,
        ["IL"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LI"] = 21,
        ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MR"] = 27,
        ["MT"] = 31, ["MU"] = 30, ["NL"] = 18, ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25,
        ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27,
        ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VG"] = 24, ["XK"] = 20,
    };

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Candidate();

    public IEnumerable<PiiFinding> Find(string text)
    {
        foreach (Match m in Candidate().Matches(text))
        {
            if (!Lengths.TryGetValue(m.Value[..2], out var length)) continue;
            // Take exactly the country's length of characters; what follows must not continue the token.
            int taken = 0, end = m.Index;
            while (end < m.Index + m.Length && taken < length)
            {
                if (text[end] != ' ') taken++;
                end++;
            }
            if (taken != length || (end < text.Length && char.IsAsciiLetterOrDigit(text[end]))) continue;
            var compact = text[m.Index..end].Replace(" ", "");
            if (IsValidChecksum(compact)) yield return new PiiFinding(Type, m.Index, end - m.Index, text[m.Index..end]);
        }
    }

    /// <summary>ISO 7064 mod 97-10: move the first four characters to the end, letters to 10..35, remainder must be 1.</summary>
    public static bool IsValidChecksum(string iban)
    {
        if (iban.Length < 5) return false;
        int remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            if (char.IsAsciiDigit(c)) remainder = (remainder * 10 + (c - '0')) % 97;
            else if (char.IsAsciiLetterUpper(c)) remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            else return false;
        }
        return remainder == 1;
    }
}
