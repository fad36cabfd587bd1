using System.Text.RegularExpressions;
using PhoneNumbers;

namespace TuneSharp.Data.Pii;

/// <summary>
/// Phone numbers as Microsoft Presidio finds them: Google's libphonenumber scans the text
/// (<see cref="PhoneNumberUtil.FindNumbers(string, string, PhoneNumberUtil.Leniency, long)"/>, leniency VALID), so a
/// candidate counts only when its country's metadata says a number of that length and prefix exists. Numbers
/// written with + (or 00, 011) parse in any region; a national number such as 020 7946 0958 or 06 12 34 56 78 has
/// no country code of its own, so it is read in each of the default regions in turn. The finder keeps an
/// extension (", ext. 12") with its number. Corrections to the finder for real mail: an opening parenthesis that
/// only wraps the number ("(+33 1 99 00 45 67)") is left out of the span; digit groups glued to an identifier by a
/// hyphen are not a number; a dotted run with a one-digit group after the first (Chrome 122.0.6261.112) is a
/// version, which a valid-looking 11-digit North American number would otherwise match; a day.month.year date
/// (03.02.2025, valid as a German number) is a date; and digits right after an identifier's label (invoice,
/// order no., ticket #) are that identifier.
/// </summary>
internal sealed partial class PhoneDetector(IReadOnlyList<string> regions) : IPiiDetector
{
    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public PiiType Type => PiiType.Phone;

    // libphonenumber only checks that a letter does not touch the match, so the digit groups of hyphenated
    // identifiers (SN-2024-000123-XY, INV-2024-7781234) read as numbers; a number glued to a word by a hyphen
    // is part of such an identifier.
    [GeneratedRegex(@"[\p{L}\p{N}]-$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IdentifierBefore();

    [GeneratedRegex(@"^-[\p{L}\p{N}]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IdentifierAfter();

    // Dates libphonenumber does not rule out itself: day.month.year and year.month.day with dots or dashes.
    [GeneratedRegex(@"^(?:(?:0?[1-9]|[12]\d|3[01])[.\-](?:0?[1-9]|1[0-2])[.\-](?:19|20)\d\d|(?:19|20)\d\d[.\-](?:0?[1-9]|1[0-2])[.\-](?:0?[1-9]|[12]\d|3[01]))$",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Date();

    // The label of an identifier written right before the digits (and nothing but "no.", "#" or ":" between).
    [GeneratedRegex(@"\b(?:invoice|inv|order|ordine|pedido|commande|bestellung|bestelling|rechnung|ref|reference|ticket|case|account|acct|tracking|"
        + @"awb|waybill|serial|policy|booking|pnr|kundennummer|sku|part|build|version)\s*(?:number|nr\.?|no\.?|n[º°o]\.?|#)?\s*[:#]?\s*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.RightToLeft, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IdentifierLabel();

    public IEnumerable<PiiFinding> Find(string text)
    {
        if (!text.Any(char.IsAsciiDigit)) yield break;
        var seen = new HashSet<(int, int)>();
        foreach (var region in regions)
            foreach (var m in Util.FindNumbers(text, region, PhoneNumberUtil.Leniency.VALID, long.MaxValue))
            {
                var (start, raw) = WithoutWrappingParenthesis(m.Start, m.RawString);
                if (!seen.Add((start, raw.Length)) || InsideIdentifier(text, start, start + raw.Length)
                    || IsDottedVersion(raw) || Date().IsMatch(raw) || AfterIdentifierLabel(text, start)) continue;
                yield return new PiiFinding(Type, start, raw.Length, raw);
            }
    }

    // libphonenumber lets a match start with "(" for national area codes such as "(02) 5550 1234"; when the match
    // has no closing parenthesis, the "(" opened the prose around the number.
    static (int Start, string Raw) WithoutWrappingParenthesis(int start, string raw)
    {
        if (!raw.StartsWith('(') || raw.Count(c => c == '(') <= raw.Count(c => c == ')')) return (start, raw);
        int skip = 1;
        while (skip < raw.Length && char.IsWhiteSpace(raw[skip])) skip++;
        return (start + skip, raw[skip..]);
    }

    static bool IsDottedVersion(string raw)
    {
        var groups = raw.TrimStart('+').Split('.');
        return groups.Length >= 3 && groups.All(g => g.Length > 0 && g.All(char.IsAsciiDigit)) && groups.Skip(1).Any(g => g.Length == 1);
    }

    static bool AfterIdentifierLabel(string text, int start) =>
        IdentifierLabel().IsMatch(text.AsSpan(Math.Max(0, start - 32), Math.Min(32, start)).ToString());

    static bool InsideIdentifier(string text, int start, int end) =>
        IdentifierBefore().IsMatch(text.AsSpan(Math.Max(0, start - 2), Math.Min(2, start)).ToString())
        || IdentifierAfter().IsMatch(text.AsSpan(end, Math.Min(2, text.Length - end)).ToString());
}
