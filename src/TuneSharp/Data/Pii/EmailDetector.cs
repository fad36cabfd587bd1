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

    static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\'';

    public IEnumerable<PiiFinding> Find(string text)
    {
        // The regex could start at any letter; run it only on the window around each '@' (the maximal run of
        // local-part characters before it and domain characters after it), which is linear in the text.
        int at = text.IndexOf('@');
        while (at >= 0)
        {
            int start = at, end = at + 1;
            while (start > 0 && at - start < 256 && IsLocalChar(text[start - 1])) start--;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '.')) end++;
            var m = Pattern().Match(text, start, end - start);
            if (m.Success && !FileExtensions.Contains(m.Value[(m.Value.LastIndexOf('.') + 1)..]))
                yield return new PiiFinding(Type, m.Index, m.Length, m.Value);
            at = text.IndexOf('@', at + 1);
        }
    }
}
