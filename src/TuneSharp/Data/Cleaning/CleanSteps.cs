namespace TuneSharp.Data.Cleaning;

/// <summary>Names of the text-changing steps, as used in <see cref="CleanReport"/>.</summary>
public static class CleanSteps
{
    /// <summary>Email header stripping.</summary>
    public const string EmailHeaders = "email_headers";
    /// <summary>HTML stripping.</summary>
    public const string Html = "html";
    /// <summary>Unicode normalization.</summary>
    public const string Unicode = "unicode";
    /// <summary>Control-character removal.</summary>
    public const string ControlCharacters = "control_chars";
    /// <summary>Whitespace collapse.</summary>
    public const string Whitespace = "whitespace";
    /// <summary>PII scrubbing.</summary>
    public const string Pii = "pii";

    /// <summary>
    /// A cheap measure of how many characters an edit touched: after removing the common prefix and suffix, the
    /// longer of the two differing middles (exact for a single insertion, deletion or replacement).
    /// </summary>
    public static int ChangedCharacters(string before, string after)
    {
        if (ReferenceEquals(before, after)) return 0;
        int prefix = before.AsSpan().CommonPrefixLength(after);
        int maxSuffix = Math.Min(before.Length, after.Length) - prefix;
        int suffix = 0;
        while (suffix < maxSuffix && before[before.Length - 1 - suffix] == after[after.Length - 1 - suffix]) suffix++;
        return Math.Max(before.Length - prefix - suffix, after.Length - prefix - suffix);
    }
}
