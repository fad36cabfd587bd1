using System.Text;

namespace TuneSharp.Data.Cleaning;

/// <summary>
/// Collapses whitespace without destroying structure: inside a line, runs of spaces/tabs/other Unicode spaces
/// become one space; leading indentation is kept (code and lists need it); trailing spaces are dropped;
/// more than one blank line becomes one blank line; the text is trimmed.
/// </summary>
public static class WhitespaceNormalizer
{
    /// <summary>The text with whitespace collapsed as described on the class.</summary>
    public static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        int blankRun = 0;
        bool anyLine = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = CollapseLine(rawLine);
            if (line.Length == 0)
            {
                blankRun++;
                continue;
            }
            if (anyLine) sb.Append(blankRun > 0 ? "\n\n" : "\n");
            sb.Append(line);
            anyLine = true;
            blankRun = 0;
        }
        var result = sb.ToString();
        return result == text ? text : result;
    }

    static string CollapseLine(string line)
    {
        int indent = 0;
        while (indent < line.Length && (line[indent] == ' ' || line[indent] == '\t')) indent++;
        var sb = new StringBuilder(line.Length);
        sb.Append(line, 0, indent);
        bool pendingSpace = false;
        for (int i = indent; i < line.Length; i++)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c)) { pendingSpace = true; continue; }
            if (pendingSpace && sb.Length > indent) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        // A line of only indentation is blank.
        return sb.Length == indent ? "" : sb.ToString();
    }
}
