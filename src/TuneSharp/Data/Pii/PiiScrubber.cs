using System.Text;

namespace TuneSharp.Data.Pii;

/// <summary>
/// Finds PII and secrets in text and replaces each with a typed placeholder ([EMAIL], [PHONE], [CREDIT_CARD],
/// [IP_ADDRESS], [IBAN], [SSN], [URL_CREDENTIALS], [SECRET]). Detectors favour precision: checksums (Luhn,
/// mod-97), value ranges (IPv4 octets, SSN areas) and shapes rule out look-alikes. Overlapping findings are
/// resolved deterministically: the longest span wins; on equal length the more specific type wins
/// (URL credentials, secret, IBAN, card, SSN, email, IP, phone); then the earlier start. Thread-safe.
/// </summary>
public sealed class PiiScrubber
{
    static readonly PiiType[] Specificity =
        [PiiType.UrlCredentials, PiiType.Secret, PiiType.Iban, PiiType.CreditCard, PiiType.Ssn, PiiType.Email, PiiType.IpAddress, PiiType.Phone];

    readonly IPiiDetector[] detectors;

    /// <summary>A scrubber for the given types (null or empty: all types).</summary>
    public PiiScrubber(IEnumerable<PiiType>? types = null)
    {
        var wanted = types?.ToHashSet() is { Count: > 0 } set ? set : [.. PiiTypes.All];
        IPiiDetector[] all =
        [
            new UrlCredentialsDetector(), new SecretDetector(), new IbanDetector(), new CreditCardDetector(),
            new SsnDetector(), new EmailDetector(), new IpAddressDetector(), new PhoneDetector(),
        ];
        detectors = [.. all.Where(d => wanted.Contains(d.Type))];
    }

    /// <summary>The non-overlapping findings in the text, ordered by start.</summary>
    public IReadOnlyList<PiiFinding> Find(string text)
    {
        var candidates = detectors.SelectMany(d => d.Find(text))
            .OrderByDescending(f => f.Length)
            .ThenBy(f => Array.IndexOf(Specificity, f.Type))
            .ThenBy(f => f.Start)
            .ToList();
        var accepted = new List<PiiFinding>();
        foreach (var c in candidates)
            if (!accepted.Any(a => a.Start < c.End && c.Start < a.End)) accepted.Add(c);
        accepted.Sort((a, b) => a.Start.CompareTo(b.Start));
        return accepted;
    }

    /// <summary>The text with every finding replaced by its placeholder, and the findings.</summary>
    public ScrubResult Scrub(string text)
    {
        var findings = Find(text);
        if (findings.Count == 0) return new ScrubResult(text, findings);
        var sb = new StringBuilder(text.Length);
        int pos = 0;
        foreach (var f in findings)
        {
            sb.Append(text, pos, f.Start - pos).Append(PiiTypes.Placeholder(f.Type));
            pos = f.End;
        }
        sb.Append(text, pos, text.Length - pos);
        return new ScrubResult(sb.ToString(), findings);
    }
}
