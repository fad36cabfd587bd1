namespace TuneSharp.Data.Cleaning;

/// <summary>
/// Removes the RFC 822/5322 header block at the top of a raw email: an optional mbox "From " line, then
/// "Name: value" fields and their folded continuation lines (starting with a space or tab), up to the first
/// empty line. Text is only treated as an email when the block has at least two fields, one of them a
/// well-known header (From, To, Subject, Received, ...), and ends in an empty line, so that prose starting
/// with "Note: ..." is left alone.
/// </summary>
public static class EmailHeaderStripper
{
    static readonly HashSet<string> KnownFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "from", "to", "cc", "bcc", "subject", "date", "received", "return-path", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "delivered-to", "reply-to", "sender", "in-reply-to",
        "references", "x-mailer", "list-id", "x-original-to", "envelope-to", "dkim-signature", "precedence",
    };

    /// <summary>The body of the email, or the text unchanged when it does not start with a header block.</summary>
    public static string Strip(string text)
    {
        int pos = 0;
        while (pos < text.Length && (text[pos] == '\n' || text[pos] == '\r')) pos++;
        int fields = 0;
        bool known = false, first = true;
        while (pos < text.Length)
        {
            int eol = text.IndexOf('\n', pos);
            int lineEnd = eol < 0 ? text.Length : eol;
            var line = text.AsSpan(pos, lineEnd - pos).TrimEnd('\r');
            int next = eol < 0 ? text.Length : eol + 1;
            if (line.Length == 0)
                return fields >= 2 && known ? text[next..] : text;
            if (first && line.StartsWith("From ", StringComparison.Ordinal)) { first = false; pos = next; continue; }
            first = false;
            if (line[0] == ' ' || line[0] == '\t')
            {
                if (fields == 0) return text; // a continuation with nothing to continue: not a header block
            }
            else
            {
                int colon = FieldNameEnd(line);
                if (colon < 0) return text;
                fields++;
                known |= KnownFields.Contains(line[..colon].ToString());
            }
            pos = next;
        }
        return text; // headers without a body separator: not an email we can safely cut
    }

    /// <summary>Index of the colon after a field name (printable ASCII without colon or space), or -1.</summary>
    static int FieldNameEnd(ReadOnlySpan<char> line)
    {
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == ':') return i > 0 ? i : -1;
            if (c <= ' ' || c > '~') return -1;
        }
        return -1;
    }
}
