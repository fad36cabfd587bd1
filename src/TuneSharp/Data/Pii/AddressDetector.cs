using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>
/// Postal addresses in the two shapes a rule reads reliably. A US/UK street address: a house number (221B,
/// 12-14), one to three capitalised street-name words or an ordinal (5th), a street suffix (Street, St, Avenue,
/// Rd, Lane, Blvd, Terrace...), an optional direction (NW) and unit (Apt 4B, Suite 300, #12), then optionally the
/// locality after a comma or line break: a city with a state and ZIP (Springfield, IL 62704), a city with a UK
/// postcode (London NW1 6XE), or a city that ends the sentence. And a UK postcode on its own (SW1A 1AA), which
/// names a handful of houses. Names must be capitalised and the suffix must be a real street word, because lower-case
/// "3 hard drive bays" and "2 main points" are far more common in mail than addresses written that way.
/// </summary>
internal sealed partial class AddressDetector : IPiiDetector
{
    public PiiType Type => PiiType.Address;

    // An abbreviation may carry its dot (Main St., Apt 4B); after a full word a dot ends the sentence.
    const string Suffix = @"(?:(?:Street|Avenue|Road|Lane|Boulevard|Drive|Court|Place|Way|Terrace|Parkway|Circle|Highway|Square|Close"
        + @"|Crescent|Gardens|Grove|Mews|Row|Loop|Trail|Plaza)\b|(?:St|Ave|Rd|Ln|Blvd|Dr|Ct|Pl|Pkwy|Cir|Hwy|Sq)\b\.?)";

    // Outward code (A9, A99, A9A, AA9, AA99, AA9A), a space, inward code (9AA); the inward letters never use CIKMOV.
    // An inward code read as a memory size (Apple M2 8GB, i7 16GB) is a spec sheet, not a postcode.
    const string Postcode = @"(?:[A-Z]{1,2}\d[A-Z\d]?\s(?!\d[GMTK]B\b)\d[ABD-HJLNP-UW-Z]{2})";

    [GeneratedRegex(@"
        (?<![\w.,/$£€#:+\-])
        \d{1,5}[A-Z]?(?:-\d{1,5})?                                   # house number: 42, 221B, 12-14
        \s+(?:(?:[NSEW]|North|South|East|West)\.?\s+)?               # N. Main St
        (?:[A-Z][a-z'’]+|\d{1,3}(?:st|nd|rd|th))                     # street name: Baker, 5th
        (?:[ \-][A-Z][a-z'’]+){0,3}                                  # Martin Luther King Jr, Stratford-upon
        \s+" + Suffix + @"
        (?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?                            # 1600 Pennsylvania Avenue NW
        (?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm)\.?\s*\#?\d{1,5}[A-Z]?|\s+\#\d{1,5}[A-Z]?)?
        (?:(?:,[ \t]*|[ \t]*\n[ \t]*)
           (?:[A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2},[ \t]*)?           # district: Leith, Edinburgh
           [A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2}                      # city
           (?:,?[ \t]+[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?                 # state and ZIP
             |,?[ \t]+" + Postcode + @"                               # UK postcode
             |(?=[ \t]*(?:[.;)\n]|$)))                               # or a city that ends the sentence
        )?
        (?![\w\-])",
        RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StreetAddress();

    [GeneratedRegex(@"(?<![\w\-])" + Postcode + @"(?![\w\-])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PostcodeAlone();

    public IEnumerable<PiiFinding> Find(string text)
    {
        if (!text.Any(char.IsAsciiDigit)) yield break;
        foreach (Match m in StreetAddress().Matches(text)) yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
        // A postcode inside a street address is also found here; the scrubber keeps the longer span.
        foreach (Match m in PostcodeAlone().Matches(text)) yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
    }
}
