using System.Globalization;
using System.Text;

namespace TuneSharp.Tokenization.PreTokenizers;

/// <summary>
/// Rewrites the Oniguruma / fancy-regex patterns of tokenizer.json into .NET syntax. Most of the
/// syntax is shared (\p{L}, (?i:...), lookahead); .NET lacks possessive quantifiers (X*+, X++, X?+, X{n,m}+,
/// used by newer GPT-4-style patterns), which become the equivalent atomic groups (?&gt;X*), and
/// \x{HHHH}, which becomes \uHHHH.
/// </summary>
internal static class OnigurumaRegex
{
    public static string ToDotNet(string pattern)
    {
        var o = new StringBuilder(pattern.Length + 16);
        var groups = new Stack<int>();
        int atom = -1; // where the last complete atom starts in the output
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            switch (c)
            {
                case '\\':
                    atom = o.Length;
                    i = CopyEscape(pattern, i, o);
                    continue;
                case '[':
                    atom = o.Length;
                    i = CopyClass(pattern, i, o);
                    continue;
                case '(':
                    groups.Push(o.Length);
                    o.Append(c);
                    atom = -1;
                    break;
                case ')':
                    o.Append(c);
                    atom = groups.Count > 0 ? groups.Pop() : -1;
                    break;
                case '|':
                    o.Append(c);
                    atom = -1;
                    break;
                case '*' or '+' or '?' or '{':
                {
                    int end = QuantifierEnd(pattern, i);
                    if (end < 0) { atom = o.Length; o.Append(c); break; } // a literal '{'
                    var quantifier = pattern[i..end];
                    if (end < pattern.Length && pattern[end] == '+' && atom >= 0)
                    {
                        o.Insert(atom, "(?>").Append(quantifier).Append(')');
                        i = end + 1;
                    }
                    else
                    {
                        o.Append(quantifier);
                        i = end;
                    }
                    atom = -1;
                    continue;
                }
                default:
                    atom = o.Length;
                    o.Append(c);
                    break;
            }
            i++;
        }
        return o.ToString();
    }

    /// <summary>End of the quantifier at <paramref name="i"/> (with a lazy '?'); -1 if '{' is a literal.</summary>
    static int QuantifierEnd(string p, int i)
    {
        int end = i + 1;
        if (p[i] == '{')
        {
            int close = p.IndexOf('}', i);
            if (close < 0 || !p[(i + 1)..close].All(ch => char.IsAsciiDigit(ch) || ch == ',')) return -1;
            end = close + 1;
        }
        return end < p.Length && p[end] == '?' ? end + 1 : end;
    }

    static int CopyEscape(string p, int i, StringBuilder o)
    {
        if (i + 1 >= p.Length) { o.Append('\\'); return i + 1; }
        char next = p[i + 1];
        if (next == 'x' && i + 2 < p.Length && p[i + 2] == '{')
        {
            int close = p.IndexOf('}', i);
            int cp = int.Parse(p[(i + 3)..close], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            foreach (var ch in char.ConvertFromUtf32(cp)) o.Append($"\\u{(int)ch:X4}");
            return close + 1;
        }
        if ((next is 'p' or 'P') && i + 2 < p.Length && p[i + 2] == '{')
        {
            int close = p.IndexOf('}', i);
            o.Append(p, i, close + 1 - i);
            return close + 1;
        }
        o.Append(p, i, 2);
        return i + 2;
    }

    static int CopyClass(string p, int i, StringBuilder o)
    {
        int depth = 0;
        int start = i;
        while (i < p.Length)
        {
            char c = p[i];
            if (c == '\\') { i = CopyEscape(p, i, o); continue; }
            o.Append(c);
            // ']' right after '[' or '[^' is a literal in both flavors
            bool literalBracket = c == ']' && (i == start + 1 || (i == start + 2 && p[start + 1] == '^'));
            if (c == '[') depth++;
            else if (c == ']' && !literalBracket && --depth == 0) return i + 1;
            i++;
        }
        return i;
    }
}
