using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TuneSharp.Text;

namespace TuneSharp.Templates;

/// <summary>
/// Splits a template into tokens with jinja2's whitespace rules as Hugging Face configures them:
/// <c>trim_blocks=True</c> (the newline right after a block or comment tag is dropped),
/// <c>lstrip_blocks=True</c> (spaces and tabs before a block or comment tag at the start of a line are
/// dropped), <c>-</c>/<c>+</c> tag modifiers, and <c>keep_trailing_newline=False</c>.
/// </summary>
internal sealed partial class JinjaLexer
{
    readonly string src;
    readonly List<JinjaToken> tokens = [];
    readonly int[] lineStarts;
    int pos;

    // jinja2 strips a block's leading indentation only when the tag starts a line: either the text before it
    // holds a newline, or the previous token ended with one (a trimmed "%}\n", or the template start).
    bool lineStarting = true;

    JinjaLexer(string source)
    {
        src = source;
        var starts = new List<int> { 0 };
        for (int i = 0; i < src.Length; i++)
            if (src[i] == '\n') starts.Add(i + 1);
        lineStarts = [.. starts];
    }

    /// <summary>Tokenizes a whole template; the list ends with an <see cref="JinjaTokenKind.Eof"/> token.</summary>
    public static List<JinjaToken> Tokenize(string source)
    {
        var lexer = new JinjaLexer(Normalize(source));
        lexer.Run();
        return lexer.tokens;
    }

    /// <summary>jinja2 turns every newline form into "\n" and drops one trailing newline.</summary>
    static string Normalize(string source)
    {
        var s = source.Replace("\r\n", "\n").Replace('\r', '\n');
        return s.EndsWith('\n') ? s[..^1] : s;
    }

    int LineAt(int offset)
    {
        int i = Array.BinarySearch(lineStarts, offset);
        return (i >= 0 ? i : ~i - 1) + 1;
    }

    void Run()
    {
        while (pos < src.Length)
        {
            int tag = FindTagStart(pos);
            if (tag < 0)
            {
                AddData(src[pos..], pos);
                pos = src.Length;
                break;
            }
            char kind = src[tag + 1];
            char modifier = tag + 2 < src.Length ? src[tag + 2] : '\0';
            string text = src[pos..tag];
            if (modifier == '-')
                text = PyText.RStrip(text, null);
            else if (modifier != '+' && kind != '{')
                text = LStripBlockIndent(text);
            AddData(text, pos);

            if (kind == '%' && TryRaw(tag)) continue;
            if (kind == '#') LexComment(tag, modifier);
            else LexTag(tag, kind, modifier);
        }
        tokens.Add(new JinjaToken(JinjaTokenKind.Eof, "", LineAt(src.Length)));
    }

    int FindTagStart(int from)
    {
        for (int i = src.IndexOf('{', from); i >= 0 && i + 1 < src.Length; i = src.IndexOf('{', i + 1))
        {
            char c = src[i + 1];
            if (c == '{' || c == '%' || c == '#') return i;
        }
        return -1;
    }

    string LStripBlockIndent(string text)
    {
        int lineStart = text.LastIndexOf('\n') + 1;
        if (lineStart == 0 && !lineStarting) return text;
        for (int i = lineStart; i < text.Length; i++)
            if (text[i] != ' ' && text[i] != '\t') return text;
        return text[..lineStart];
    }

    void AddData(string text, int at)
    {
        if (text.Length > 0) tokens.Add(new JinjaToken(JinjaTokenKind.Data, text, LineAt(at)));
    }

    /// <summary>After a tag's end: "-" eats all following whitespace, trim_blocks eats one newline.</summary>
    void AfterTagEnd(bool strip, bool keep, bool trimNewline)
    {
        if (strip)
            while (pos < src.Length && PyText.IsSpace(src[pos])) pos++;
        else if (!keep && trimNewline && pos < src.Length && src[pos] == '\n')
            pos++;
        lineStarting = pos > 0 && src[pos - 1] == '\n';
    }

    void LexComment(int tag, char modifier)
    {
        int end = src.IndexOf("#}", tag + 2, StringComparison.Ordinal);
        if (end < 0) throw TemplateErrors.At(LineAt(tag), "missing end of comment tag '#}'");
        char before = src[end - 1];
        bool hasInnerModifier = end - 1 >= tag + 2 + (modifier is '-' or '+' ? 1 : 0);
        pos = end + 2;
        AfterTagEnd(hasInnerModifier && before == '-', hasInnerModifier && before == '+', trimNewline: true);
    }

    [GeneratedRegex(@"\G\{%[-+]?\s*raw\s*([-+]?)%\}")]
    private static partial Regex RawBegin();

    [GeneratedRegex(@"\{%([-+]?)\s*endraw\s*([-+]?)%\}")]
    private static partial Regex RawEnd();

    bool TryRaw(int tag)
    {
        var begin = RawBegin().Match(src, tag);
        if (!begin.Success) return false;
        var end = RawEnd().Match(src, begin.Index + begin.Length);
        if (!end.Success) throw TemplateErrors.At(LineAt(tag), "missing '{% endraw %}'");
        string body = src[(begin.Index + begin.Length)..end.Index];
        if (begin.Groups[1].Value == "-") body = PyText.LStrip(body, null);
        else if (begin.Groups[1].Value != "+" && body.StartsWith('\n')) body = body[1..];
        if (end.Groups[1].Value == "-") body = PyText.RStrip(body, null);
        AddData(body, begin.Index + begin.Length);
        pos = end.Index + end.Length;
        AfterTagEnd(end.Groups[2].Value == "-", end.Groups[2].Value == "+", trimNewline: true);
        return true;
    }

    void LexTag(int tag, char kind, char modifier)
    {
        bool isBlock = kind == '%';
        int line = LineAt(tag);
        tokens.Add(new JinjaToken(isBlock ? JinjaTokenKind.BlockBegin : JinjaTokenKind.VariableBegin, isBlock ? "{%" : "{{", line));
        pos = tag + 2 + (modifier is '-' or '+' ? 1 : 0);
        string close = isBlock ? "%}" : "}}";
        int depth = 0;
        while (true)
        {
            while (pos < src.Length && PyText.IsSpace(src[pos])) pos++;
            if (pos >= src.Length)
                throw TemplateErrors.At(line, $"unexpected end of template, expected '{close}'");
            // Like jinja2, a closing delimiter only counts outside brackets: "{{ {'a': {'b': 1}} }}".
            if (depth == 0)
            {
                bool strip = At("-" + close), keep = isBlock && At("+" + close);
                if (strip || keep || At(close))
                {
                    tokens.Add(new JinjaToken(isBlock ? JinjaTokenKind.BlockEnd : JinjaTokenKind.VariableEnd, close, LineAt(pos)));
                    pos += close.Length + (strip || keep ? 1 : 0);
                    AfterTagEnd(strip, keep, trimNewline: isBlock);
                    return;
                }
            }
            var token = LexExpressionToken();
            if (token.Kind == JinjaTokenKind.Operator)
            {
                if (token.Text is "(" or "[" or "{") depth++;
                else if (token.Text is ")" or "]" or "}") depth = Math.Max(0, depth - 1);
            }
            tokens.Add(token);
        }
    }

    bool At(string s) => string.CompareOrdinal(src, pos, s, 0, s.Length) == 0;

    static readonly string[] Operators =
        ["//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "=", "<", ">"];

    JinjaToken LexExpressionToken()
    {
        int start = pos;
        int line = LineAt(pos);
        char c = src[pos];
        if (c == '\'' || c == '"') return LexString(line);
        if (char.IsAsciiDigit(c) && !(start > 0 && src[start - 1] == '.')) return LexNumber(line);
        if (char.IsAsciiDigit(c))
        {
            // After a dot ("foo.0") digits are an integer attribute, never the tail of a float.
            while (pos < src.Length && char.IsAsciiDigit(src[pos])) pos++;
            return new JinjaToken(JinjaTokenKind.Integer, src[start..pos], line, long.Parse(src[start..pos], CultureInfo.InvariantCulture));
        }
        if (c == '_' || char.IsLetter(c))
        {
            while (pos < src.Length && (src[pos] == '_' || char.IsLetterOrDigit(src[pos]))) pos++;
            return new JinjaToken(JinjaTokenKind.Name, src[start..pos], line);
        }
        foreach (var op in Operators)
        {
            if (At(op))
            {
                pos += op.Length;
                return new JinjaToken(JinjaTokenKind.Operator, op, line);
            }
        }
        throw TemplateErrors.At(line, $"unexpected character '{c}'");
    }

    JinjaToken LexNumber(int line)
    {
        int start = pos;
        SkipDigits();
        bool isFloat = false;
        if (pos + 1 < src.Length && src[pos] == '.' && char.IsAsciiDigit(src[pos + 1]))
        {
            isFloat = true;
            pos++;
            SkipDigits();
        }
        if (pos < src.Length && (src[pos] == 'e' || src[pos] == 'E'))
        {
            int save = pos++;
            if (pos < src.Length && (src[pos] == '+' || src[pos] == '-')) pos++;
            if (pos < src.Length && char.IsAsciiDigit(src[pos]))
            {
                isFloat = true;
                SkipDigits();
            }
            else pos = save;
        }
        string text = src[start..pos];
        string clean = text.Replace("_", "");
        if (isFloat)
            return new JinjaToken(JinjaTokenKind.Float, text, line, double.Parse(clean, NumberStyles.Float, CultureInfo.InvariantCulture));
        if (!long.TryParse(clean, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            throw TemplateErrors.At(line, $"integer literal too large: {text}");
        return new JinjaToken(JinjaTokenKind.Integer, text, line, value);
    }

    void SkipDigits()
    {
        while (pos < src.Length && (char.IsAsciiDigit(src[pos]) || (src[pos] == '_' && pos + 1 < src.Length && char.IsAsciiDigit(src[pos + 1]))))
            pos++;
    }

    /// <summary>String literals decode Python's escapes ("unicode-escape"); unknown escapes stay as written.</summary>
    JinjaToken LexString(int line)
    {
        char quote = src[pos];
        int start = pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (pos >= src.Length) throw TemplateErrors.At(line, "unterminated string literal");
            char c = src[pos++];
            if (c == quote) break;
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (pos >= src.Length) throw TemplateErrors.At(line, "unterminated string literal");
            char e = src[pos++];
            switch (e)
            {
                case '\n': break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x': AppendHexEscape(sb, 2, line); break;
                case 'u': AppendHexEscape(sb, 4, line); break;
                case 'U': AppendHexEscape(sb, 8, line); break;
                case >= '0' and <= '7':
                    int value = e - '0';
                    for (int n = 0; n < 2 && pos < src.Length && src[pos] is >= '0' and <= '7'; n++)
                        value = value * 8 + (src[pos++] - '0');
                    sb.Append((char)value);
                    break;
                default: sb.Append('\\').Append(e); break;
            }
        }
        return new JinjaToken(JinjaTokenKind.String, src[start..pos], line, sb.ToString());
    }

    void AppendHexEscape(StringBuilder sb, int digits, int line)
    {
        if (pos + digits > src.Length || !int.TryParse(src.AsSpan(pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
            throw TemplateErrors.At(line, "truncated \\x, \\u or \\U escape in string literal");
        pos += digits;
        sb.Append(char.ConvertFromUtf32(code));
    }
}
