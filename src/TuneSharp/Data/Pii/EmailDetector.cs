using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>Email addresses: a local part, @, one or more domain labels and an alphabetic TLD (so user@localhost is not one).</summary>
internal sealed partial class EmailDetector : IPiiDetector
{
    public PiiType Type => PiiType.Email;

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+'\-])[A-Za-z0-9][A-Za-z0-9._%+'\-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9\-]|\.[A-Za-z0-9])",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();

    /// <summary>File extensions that look like TLDs in asset names such as logo@2x.png.</summary>
    static readonly HashSet<string> FileExtensions = new(StringComparer.OrdinalIgnoreCase)
        { "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "pdf", "txt", "css", "js", "json", "xml", "html", "htm", "zip", "gz", "tar", "md", "mp3", "mp4" };

    public IEnumerable<PiiFinding> Find(string text)
    {
        foreach (Match m in Pattern().Matches(text))
        {
            var tld = m.Value[(m.Value.LastIndexOf('.') + 1)..];
            if (FileExtensions.Contains(tld)) continue;
            yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
        }
    }
}
