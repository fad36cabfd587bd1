using System.Net;
using System.Text;

namespace TuneSharp.Data.Cleaning;

/// <summary>
/// Turns HTML into plain text with a single forward scan (no regex, so no backtracking on hostile input):
/// tags and comments are dropped, the contents of script/style/noscript/template/head are dropped, block
/// elements (p, div, br, li, h1..h6, tr, ...) become line breaks, runs of source whitespace become one space
/// (as a browser renders them; kept inside pre), and entities are decoded (&amp;amp; → &amp;, &amp;#233; → é).
/// A '&lt;' not followed by a letter, '/', '!' or '?' is text ("a &lt; b").
/// </summary>
public static class HtmlStripper
{
    static readonly HashSet<string> DroppedContent = new(StringComparer.OrdinalIgnoreCase)
        { "script", "style", "noscript", "template", "head" };

    static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
        "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul", "title", "body", "html",
    };

    /// <summary>The visible text of <paramref name="html"/>.</summary>
    public static string Strip(string html)
    {
        if (html.IndexOf('<') < 0 && html.IndexOf('&') < 0) return html;
        var text = new StringBuilder(html.Length);
        int i = 0, preDepth = 0;
        while (i < html.Length)
        {
            char c = html[i];
            if (c == '<' && i + 1 < html.Length && IsTagStart(html[i + 1]))
            {
                if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
                {
                    int end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                    i = end < 0 ? html.Length : end + 3;
                    continue;
                }
                int close = html.IndexOf('>', i + 1);
                if (close < 0) { AppendText(text, html.AsSpan(i), preDepth > 0); break; }
                var (name, isEnd) = TagName(html, i + 1, close);
                i = close + 1;
                if (!isEnd && DroppedContent.Contains(name))
                {
                    // Skip to the matching end tag; an unclosed script drops the rest, like a browser would.
                    int end = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                    if (end < 0) { i = html.Length; break; }
                    int endClose = html.IndexOf('>', end);
                    i = endClose < 0 ? html.Length : endClose + 1;
                    if (name.Equals("head", StringComparison.OrdinalIgnoreCase)) NewLine(text);
                    continue;
                }
                if (name.Equals("pre", StringComparison.OrdinalIgnoreCase)) preDepth = Math.Max(0, preDepth + (isEnd ? -1 : 1));
                if (BlockElements.Contains(name))
                {
                    if (name.Equals("td", StringComparison.OrdinalIgnoreCase) || name.Equals("th", StringComparison.OrdinalIgnoreCase)) { if (!isEnd) AppendSpace(text); }
                    else NewLine(text);
                }
                continue;
            }
            int next = html.IndexOf('<', i + 1);
            while (next >= 0 && !(next + 1 < html.Length && IsTagStart(html[next + 1]))) next = html.IndexOf('<', next + 1);
            if (next < 0) next = html.Length;
            AppendText(text, html.AsSpan(i, next - i), preDepth > 0);
            i = next;
        }
        return WebUtility.HtmlDecode(TrimLines(text)).Replace('\u00A0', ' ');
    }

    static bool IsTagStart(char c) => char.IsAsciiLetter(c) || c == '/' || c == '!' || c == '?';

    static (string Name, bool IsEnd) TagName(string html, int start, int end)
    {
        bool isEnd = start < end && html[start] == '/';
        int s = isEnd ? start + 1 : start, e = s;
        while (e < end && (char.IsAsciiLetterOrDigit(html[e]) || html[e] == '-')) e++;
        return (html[s..e], isEnd);
    }

    static void AppendText(StringBuilder sb, ReadOnlySpan<char> span, bool pre)
    {
        foreach (var c in span)
        {
            if (!pre && char.IsWhiteSpace(c)) AppendSpace(sb);
            else sb.Append(c);
        }
    }

    static void AppendSpace(StringBuilder sb)
    {
        if (sb.Length > 0 && sb[^1] != ' ' && sb[^1] != '\n') sb.Append(' ');
    }

    static void NewLine(StringBuilder sb)
    {
        while (sb.Length > 0 && sb[^1] == ' ') sb.Length--;
        if (sb.Length > 0 && sb[^1] != '\n') sb.Append('\n');
    }

    static string TrimLines(StringBuilder sb)
    {
        // Only line ends are trimmed: leading spaces can only come from pre blocks, whose indentation matters.
        var lines = sb.ToString().Split('\n').Select(l => l.TrimEnd(' ')).Where(l => l.Length > 0);
        return string.Join('\n', lines);
    }
}
