using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>
/// IPv4 (four dot-separated octets 0–255, no leading zeros, not part of a longer dotted run, not right after a
/// version word such as "version 1.2.3.4") and IPv6 (full, compressed with ::, and IPv4-mixed forms; candidates
/// are validated by <see cref="IPAddress.TryParse(string, out IPAddress)"/>, so times like 10:30:00 and MAC addresses fail).
/// </summary>
internal sealed partial class IpAddressDetector : IPiiDetector
{
    public PiiType Type => PiiType.IpAddress;

    const string Octet = @"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)";

    [GeneratedRegex(@"(?<![\w.])" + Octet + @"(?:\." + Octet + @"){3}(?!\w|\.\d)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex V4();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}|[0-9A-Fa-f]{1,4})?(?![\w:]|\.\d)",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex V6();

    [GeneratedRegex(@"(?:\bv|\bversion|\bver\.?|\brelease|\bbuild|\bfirmware|\brev(?:ision)?|\bupdate|\bpatch|\bsdk|\bkernel)\s*[:#]?\s*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.RightToLeft, matchTimeoutMilliseconds: 1000)]
    private static partial Regex VersionContext();

    public IEnumerable<PiiFinding> Find(string text)
    {
        var v4 = text.Contains('.') ? V4().Matches(text) : null;
        foreach (Match m in v4 ?? (IEnumerable<Match>)[])
        {
            var before = text.AsSpan(Math.Max(0, m.Index - 24), Math.Min(24, m.Index)).ToString();
            if (VersionContext().IsMatch(before)) continue;
            yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
        }
        if (!text.Contains("::", StringComparison.Ordinal) && text.Count(c => c == ':') < 6) yield break; // IPv6 needs :: or 6+ colons
        foreach (Match m in V6().Matches(text))
        {
            var v = m.Value;
            if (v.Count(c => c == ':') < 2 || !v.Any(char.IsAsciiHexDigit)) continue;
            if (IPAddress.TryParse(v, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6)
                yield return new PiiFinding(Type, m.Index, m.Length, v);
        }
    }
}
