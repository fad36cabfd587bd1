namespace TuneSharp.Data.Pii;

/// <summary>The kinds of personal or secret data <see cref="PiiScrubber"/> finds.</summary>
public enum PiiType
{
    /// <summary>An email address with a domain and top-level domain.</summary>
    Email,
    /// <summary>A phone number valid in its country's numbering plan: international, or national in a default region.</summary>
    Phone,
    /// <summary>A payment card number (13–19 digits, Luhn-valid).</summary>
    CreditCard,
    /// <summary>An IPv4 or IPv6 address.</summary>
    IpAddress,
    /// <summary>An IBAN with a valid mod-97 checksum and its country's length.</summary>
    Iban,
    /// <summary>A US social security number outside the never-issued ranges.</summary>
    Ssn,
    /// <summary>A URL with a user name and password before the host.</summary>
    UrlCredentials,
    /// <summary>An API key, token or password-like secret.</summary>
    Secret,
    /// <summary>A postal address: a US/UK street address (number, street name, street suffix, unit, city, ZIP) or a UK postcode.</summary>
    Address,
    /// <summary>A person's name, found only by an opted-in token-classification model (its PER entities).</summary>
    Person,
}

/// <summary>Placeholders and names of <see cref="PiiType"/> values.</summary>
public static class PiiTypes
{
    /// <summary>All types.</summary>
    public static IReadOnlyList<PiiType> All { get; } = Enum.GetValues<PiiType>();

    /// <summary>The upper-snake name used in placeholders, reports and the labelled test set (e.g. CREDIT_CARD).</summary>
    public static string Name(PiiType type) => type switch
    {
        PiiType.Email => "EMAIL",
        PiiType.Phone => "PHONE",
        PiiType.CreditCard => "CREDIT_CARD",
        PiiType.IpAddress => "IP_ADDRESS",
        PiiType.Iban => "IBAN",
        PiiType.Ssn => "SSN",
        PiiType.UrlCredentials => "URL_CREDENTIALS",
        PiiType.Secret => "SECRET",
        PiiType.Address => "ADDRESS",
        PiiType.Person => "PERSON",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The placeholder that replaces a finding, e.g. [EMAIL].</summary>
    public static string Placeholder(PiiType type) => "[" + Name(type) + "]";

    /// <summary>Parses a name as written by <see cref="Name"/> (case-insensitive); throws <see cref="UserError"/> otherwise.</summary>
    public static PiiType Parse(string name)
    {
        foreach (var t in All)
            if (string.Equals(Name(t), name.Trim(), StringComparison.OrdinalIgnoreCase)) return t;
        throw new UserError($"unknown PII type '{name}' (expected one of {string.Join(", ", All.Select(Name))})");
    }
}
