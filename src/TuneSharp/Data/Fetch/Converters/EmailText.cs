using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace TuneSharp.Data.Fetch.Converters;

/// <summary>
/// Turns a raw RFC 822 email into readable text: "Subject: ..." then the body, with headers dropped,
/// multipart bodies reduced to their text parts (text/plain preferred over text/html in alternatives),
/// quoted-printable and base64 decoded, and HTML tags, scripts and entities removed.
/// </summary>
public static partial class EmailText
{
    /// <summary>The readable text of <paramref name="raw"/>; the raw message itself if nothing readable is found.</summary>
    public static string Extract(string raw)
    {
        var (headers, body) = SplitMessage(raw);
        var subject = Header(headers, "subject")?.Trim();
        var text = Tidy(Body(headers, body, depth: 0));
        var result = string.IsNullOrEmpty(subject) ? text : text.Length == 0 ? $"Subject: {subject}" : $"Subject: {subject}\n\n{text}";
        return result.Length > 0 ? result : raw.Trim();
    }

    static (List<KeyValuePair<string, string>> Headers, string Body) SplitMessage(string message)
    {
        var headers = new List<KeyValuePair<string, string>>();
        int pos = 0;
        while (pos < message.Length)
        {
            int end = message.IndexOf('\n', pos);
            if (end < 0) end = message.Length;
            var line = message[pos..end].TrimEnd('\r');
            pos = end + 1;
            if (line.Length == 0) return (headers, pos < message.Length ? message[pos..] : "");
            if ((line[0] == ' ' || line[0] == '\t') && headers.Count > 0)
            {
                var last = headers[^1];
                headers[^1] = KeyValuePair.Create(last.Key, last.Value + " " + line.Trim());
                continue;
            }
            int colon = line.IndexOf(':');
            if (colon > 0) headers.Add(KeyValuePair.Create(line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim()));
            // The mbox "From " separator line and other junk lines have no colon and are skipped.
        }
        return (headers, "");
    }

    static string? Header(List<KeyValuePair<string, string>> headers, string name) =>
        headers.FirstOrDefault(h => h.Key == name).Value;

    static (string MediaType, Dictionary<string, string> Parameters) ContentType(List<KeyValuePair<string, string>> headers)
    {
        var value = Header(headers, "content-type") ?? "text/plain";
        var parts = value.Split(';');
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in parts.Skip(1))
        {
            int eq = p.IndexOf('=');
            if (eq > 0) parameters[p[..eq].Trim()] = p[(eq + 1)..].Trim().Trim('"');
        }
        return (parts[0].Trim().ToLowerInvariant(), parameters);
    }

    static string Body(List<KeyValuePair<string, string>> headers, string body, int depth)
    {
        var (media, parameters) = ContentType(headers);
        if (media.StartsWith("multipart/", StringComparison.Ordinal) && depth < 5 && parameters.TryGetValue("boundary", out var boundary))
        {
            var parts = SplitParts(body, boundary).Select(p => SplitMessage(p)).ToList();
            if (media == "multipart/alternative")
            {
                var plain = parts.FirstOrDefault(p => ContentType(p.Headers).MediaType == "text/plain");
                var chosen = plain.Headers != null ? plain : parts.FirstOrDefault(p => ContentType(p.Headers).MediaType.StartsWith("text/", StringComparison.Ordinal));
                if (chosen.Headers != null) return Body(chosen.Headers, chosen.Body, depth + 1);
            }
            return string.Join("\n\n", parts.Select(p => Body(p.Headers, p.Body, depth + 1)).Where(t => t.Length > 0));
        }
        if (!media.StartsWith("text/", StringComparison.Ordinal)) return ""; // images, attachments
        var decoded = Decode(body, Header(headers, "content-transfer-encoding"), parameters.GetValueOrDefault("charset"));
        return media == "text/html" ? StripHtml(decoded) : decoded;
    }

    static IEnumerable<string> SplitParts(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var sections = body.Split(delimiter);
        // sections[0] is the preamble; a section starting with "--" is the epilogue after the closing delimiter.
        for (int i = 1; i < sections.Length; i++)
        {
            var s = sections[i];
            if (s.StartsWith("--", StringComparison.Ordinal)) yield break;
            yield return s.TrimStart('\r').StartsWith('\n') ? s.TrimStart('\r')[1..] : s;
        }
    }

    static string Decode(string body, string? transferEncoding, string? charset)
    {
        var encoding = (transferEncoding ?? "").Trim().ToLowerInvariant();
        byte[]? bytes = null;
        if (encoding == "quoted-printable") bytes = QuotedPrintable(body);
        else if (encoding == "base64")
        {
            try { bytes = Convert.FromBase64String(WhiteSpace().Replace(body, "")); }
            catch (FormatException) { return body; }
        }
        if (bytes is null) return body;
        var cs = (charset ?? "").ToLowerInvariant();
        return cs is "utf-8" or "utf8" ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
    }

    static byte[] QuotedPrintable(string body)
    {
        var bytes = new List<byte>(body.Length);
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == '=' && i + 1 < body.Length)
            {
                if (body[i + 1] == '\n') { i++; continue; }
                if (body[i + 1] == '\r' && i + 2 < body.Length && body[i + 2] == '\n') { i += 2; continue; }
                if (i + 2 < body.Length && Uri.IsHexDigit(body[i + 1]) && Uri.IsHexDigit(body[i + 2]))
                {
                    bytes.Add(System.Convert.ToByte(body.Substring(i + 1, 2), 16));
                    i += 2;
                    continue;
                }
            }
            if (c < 256) bytes.Add((byte)c);
            else bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
        return bytes.ToArray();
    }

    /// <summary>Text of an HTML fragment: scripts, styles, comments and tags removed, block ends as line breaks, entities decoded.</summary>
    public static string StripHtml(string html)
    {
        var s = ScriptOrStyle().Replace(html, " ");
        s = Comment().Replace(s, " ");
        s = BlockEnd().Replace(s, "\n");
        s = Tag().Replace(s, " ");
        return WebUtility.HtmlDecode(s);
    }

    static string Tidy(string text)
    {
        var lines = text.Replace("\r", "").Split('\n').Select(l => Spaces().Replace(l, " ").Trim());
        var joined = string.Join("\n", lines);
        return BlankLines().Replace(joined, "\n\n").Trim();
    }

    [GeneratedRegex(@"<(script|style)\b.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();
    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();
    [GeneratedRegex(@"<\s*(br|/p|/div|/tr|/li|/h[1-6]|/table|p|div)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();
    [GeneratedRegex(@"<[^>]*>", RegexOptions.Singleline)]
    private static partial Regex Tag();
    [GeneratedRegex(@"[ \t\u00a0]+")]
    private static partial Regex Spaces();
    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
