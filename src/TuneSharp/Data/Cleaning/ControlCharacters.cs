using System.Text;

namespace TuneSharp.Data.Cleaning;

/// <summary>
/// Removes control characters that carry no text: C0/C1 controls (except tab and newline), and invisible
/// format characters that break matching (BOM, zero-width space, word joiner, soft hyphen). Line breaks are
/// unified to \n. ZWJ/ZWNJ are kept because emoji sequences and Indic/Persian scripts need them.
/// </summary>
public static class ControlCharacters
{
    /// <summary>The text without control characters; \r\n and lone \r become \n.</summary>
    public static string Remove(string text)
    {
        int i = 0;
        while (i < text.Length && !IsRemovedOrCr(text[i])) i++;
        if (i == text.Length) return text;
        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
            {
                sb.Append('\n');
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
            }
            else if (!IsRemovedOrCr(c)) sb.Append(c);
        }
        return sb.ToString();
    }

    static bool IsRemovedOrCr(char c) =>
        c == '\r' || (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F)
        || c == '\uFEFF' || c == '\u200B' || c == '\u2060' || c == '\u00AD' || c == '\uFFFE' || c == '\uFFFF';
}
