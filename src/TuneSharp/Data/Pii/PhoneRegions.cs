using PhoneNumbers;

namespace TuneSharp.Data.Pii;

/// <summary>
/// The default regions in which national phone numbers (written without a country code) are read: ISO 3166
/// two-letter codes that libphonenumber has metadata for.
/// </summary>
public static class PhoneRegions
{
    /// <summary>The default: numbers without a country code are read as North American (Presidio's first region too).</summary>
    public static IReadOnlyList<string> Default { get; } = ["US"];

    /// <summary>
    /// Parses a comma-separated list of region codes (case-insensitive, e.g. "us,gb"); an unknown code is a
    /// <see cref="UserError"/> that names it.
    /// </summary>
    public static IReadOnlyList<string> Parse(string list)
    {
        var supported = PhoneNumberUtil.GetInstance().GetSupportedRegions();
        var codes = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.ToUpperInvariant()).Distinct().ToList();
        if (codes.Count == 0) throw new UserError("no phone region given (two-letter ISO 3166 codes such as US, GB, DE)");
        foreach (var code in codes)
            if (!supported.Contains(code))
                throw new UserError($"unknown phone region '{code}' (two-letter ISO 3166 codes such as US, GB, DE, FR, IN{(code == "UK" ? "; the United Kingdom is GB" : "")})");
        return codes;
    }
}
