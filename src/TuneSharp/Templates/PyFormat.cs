using System.Globalization;
using System.Text;

namespace TuneSharp.Templates;

/// <summary>Python's <c>str()</c>, <c>repr()</c> and <c>%</c>-formatting of template values.</summary>
internal static class PyFormat
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Python <c>str(v)</c>, which is what <c>{{ v }}</c> and <c>~</c> output (undefined → "").</summary>
    public static string Str(object? v) => v switch
    {
        string s => s,
        JinjaUndefined => "",
        _ => Repr(v),
    };

    /// <summary>Python <c>repr(v)</c>: how values print inside lists and dicts.</summary>
    public static string Repr(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        long l => l.ToString(Inv),
        double d => FloatRepr(d),
        string s => StringRepr(s),
        List<object?> l => "[" + string.Join(", ", l.Select(Repr)) + "]",
        object?[] t => t.Length == 1 ? "(" + Repr(t[0]) + ",)" : "(" + string.Join(", ", t.Select(Repr)) + ")",
        PyDict d => "{" + string.Join(", ", d.Items.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}",
        JinjaUndefined => "",
        JinjaNamespace ns => "<Namespace " + string.Join(", ", ns.Attributes.Select(kv => kv.Key + "=" + Repr(kv.Value))) + ">",
        JinjaFunction f => "<function " + f.Name + ">",
        _ => v.ToString() ?? "",
    };

    /// <summary>Python <c>repr(float)</c>: shortest round-trip digits, scientific below 1e-4 and from 1e16.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        string r = Math.Abs(d).ToString("R", Inv);
        string digits;
        int point;
        int e = r.IndexOfAny(['E', 'e']);
        string mantissa = e >= 0 ? r[..e] : r;
        int exp = e >= 0 ? int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, Inv) : 0;
        int dot = mantissa.IndexOf('.');
        digits = mantissa.Replace(".", "");
        point = (dot >= 0 ? dot : mantissa.Length) + exp;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..];
        point -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";

        var sb = new StringBuilder();
        if (d < 0) sb.Append('-');
        int sciExp = point - 1;
        if (sciExp >= -4 && sciExp < 16)
        {
            if (point <= 0) sb.Append("0.").Append('0', -point).Append(digits);
            else if (point >= digits.Length) sb.Append(digits).Append('0', point - digits.Length).Append(".0");
            else sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('e').Append(sciExp < 0 ? '-' : '+').Append(Math.Abs(sciExp).ToString("00", Inv));
        }
        return sb.ToString();
    }

    /// <summary>Python <c>repr(str)</c>: single quotes unless the text holds a single quote and no double one.</summary>
    public static string StringRepr(string s)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder().Append(quote);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == quote || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\r') sb.Append("\\r");
            else if (c == '\t') sb.Append("\\t");
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                sb.Append(c).Append(s[i + 1]);
                i++;
            }
            else if (IsPrintable(c)) sb.Append(c);
            else if (c < 0x100) sb.Append("\\x").Append(((int)c).ToString("x2", Inv));
            else sb.Append("\\u").Append(((int)c).ToString("x4", Inv));
        }
        return sb.Append(quote).ToString();
    }

    static bool IsPrintable(char c)
    {
        if (c == ' ') return true;
        return CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    /// <summary>Python <c>format % args</c> for the common conversions (s, r, d, i, f, x, %), with width and precision.</summary>
    public static string Percent(string format, object? args)
    {
        IReadOnlyList<object?> values = args is object?[] t ? t : [args];
        var sb = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            if (++i >= format.Length) throw new JinjaRuntimeException("incomplete format");
            bool left = false, zero = false;
            for (; i < format.Length && format[i] is '-' or '0' or ' ' or '+'; i++)
            {
                if (format[i] == '-') left = true;
                if (format[i] == '0') zero = true;
            }
            int width = 0;
            for (; i < format.Length && char.IsAsciiDigit(format[i]); i++) width = width * 10 + (format[i] - '0');
            int precision = -1;
            if (i < format.Length && format[i] == '.')
            {
                precision = 0;
                for (i++; i < format.Length && char.IsAsciiDigit(format[i]); i++) precision = precision * 10 + (format[i] - '0');
            }
            if (i >= format.Length) throw new JinjaRuntimeException("incomplete format");
            char conv = format[i];
            if (conv == '%')
            {
                sb.Append('%');
                continue;
            }
            if (next >= values.Count) throw new JinjaRuntimeException("not enough arguments for format string");
            object? v = values[next++];
            string text = conv switch
            {
                's' => Str(v),
                'r' => Repr(v),
                'd' or 'i' => v is double dv ? Math.Truncate(dv).ToString("0", Inv) : ToLong(v).ToString(Inv),
                'f' or 'F' => ToDouble(v).ToString("F" + (precision < 0 ? 6 : precision), Inv),
                'x' => ToLong(v).ToString("x", Inv),
                'X' => ToLong(v).ToString("X", Inv),
                _ => throw new JinjaRuntimeException($"unsupported format character '{conv}'"),
            };
            if (conv is 's' or 'r' && precision >= 0 && text.Length > precision) text = text[..precision];
            if (text.Length < width)
                text = left ? text.PadRight(width) : zero && conv is not ('s' or 'r') ? text.PadLeft(width, '0') : text.PadLeft(width);
            sb.Append(text);
        }
        if (next < values.Count) throw new JinjaRuntimeException("not all arguments converted during string formatting");
        return sb.ToString();
    }

    static long ToLong(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => (long)d,
        _ => throw new JinjaRuntimeException($"%d format: a real number is required, not {PyOps.TypeName(v)}"),
    };

    static double ToDouble(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        double d => d,
        _ => throw new JinjaRuntimeException($"must be real number, not {PyOps.TypeName(v)}"),
    };
}
