using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>URLs with credentials, scheme://user:password@host[:port] (the user may be empty, as in redis://:pw@host); the whole authority is replaced (the path is kept).</summary>
internal sealed partial class UrlCredentialsDetector : IPiiDetector
{
    public PiiType Type => PiiType.UrlCredentials;

    [GeneratedRegex(@"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,20}://[^\s:/?#@]*:[^\s/?#@]+@[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?(?::\d{1,5})?",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();

    public IEnumerable<PiiFinding> Find(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal) || !text.Contains('@')) yield break; // cheap pre-check
        foreach (Match m in Pattern().Matches(text))
            yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
    }
}
