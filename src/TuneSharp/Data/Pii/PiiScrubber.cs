using System.Text;

namespace TuneSharp.Data.Pii;

/// <summary>
/// Finds PII and secrets in text and replaces each with a typed placeholder ([EMAIL], [PHONE], [CREDIT_CARD],
/// [IP_ADDRESS], [IBAN], [SSN], [URL_CREDENTIALS], [SECRET], [ADDRESS], [PERSON]). Detectors favour precision:
/// checksums (Luhn, mod-97), value ranges (IPv4 octets, SSN areas), numbering plans (phones) and shapes rule out
/// look-alikes. Person names come only from an opted-in model detector. Overlapping findings are resolved
/// deterministically: the longest span wins; on equal length the more specific type wins (URL credentials,
/// secret, IBAN, card, SSN, email, IP, phone, address, person); then the earlier start. Thread-safe when the
/// person detector is (the rule-based ones are).
/// </summary>
public sealed class PiiScrubber
{
    static readonly PiiType[] Specificity =
        [PiiType.UrlCredentials, PiiType.Secret, PiiType.Iban, PiiType.CreditCard, PiiType.Ssn, PiiType.Email, PiiType.IpAddress, PiiType.Phone,
         PiiType.Address, PiiType.Person];

    readonly IPiiDetector[] detectors;

    /// <summary>
    /// A scrubber for the given types (null or empty: all types; PERSON only with a person detector).
    /// <paramref name="phoneRegions"/> are the regions national phone numbers are read in (null:
    /// <see cref="PhoneRegions.Default"/>); <paramref name="personDetector"/> finds names (a model's PER entities).
    /// </summary>
    public PiiScrubber(IEnumerable<PiiType>? types = null, IReadOnlyList<string>? phoneRegions = null, IPiiDetector? personDetector = null)
    {
        var explicitTypes = types?.ToHashSet() is { Count: > 0 } set ? set : null;
        if (explicitTypes?.Contains(PiiType.Person) == true && personDetector is null)
            throw new UserError("PII type PERSON needs a person-name model (a token-classification model folder with PER tags)");
        if (personDetector is not null && personDetector.Type != PiiType.Person)
            throw new ArgumentException($"the person detector reports {personDetector.Type}", nameof(personDetector));
        var wanted = explicitTypes ?? [.. PiiTypes.All];
        List<IPiiDetector> all =
        [
            new UrlCredentialsDetector(), new SecretDetector(), new IbanDetector(), new CreditCardDetector(),
            new SsnDetector(), new EmailDetector(), new IpAddressDetector(), new PhoneDetector(phoneRegions ?? PhoneRegions.Default),
            new AddressDetector(),
        ];
        if (personDetector is not null) all.Add(personDetector);
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
