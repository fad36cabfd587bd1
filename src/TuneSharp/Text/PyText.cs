using System.Globalization;
using System.Text;

namespace TuneSharp.Text;

/// <summary>
/// Python <c>str</c> semantics over .NET strings, for the chat templates (Jinja) and the metrics that must score
/// exactly as their Python references (sacreBLEU, chrF, sklearn's report): Python's whitespace set (.NET's lacks
/// U+001C..U+001F), strip/split variants, indexing by code point (a Python character) rather than UTF-16 unit,
/// and <c>format(x, '.Nf')</c> rounding.
/// </summary>
internal static class PyText
{
    /// <summary>Python's <c>str.isspace</c> for one UTF-16 unit (includes \x1c-\x1f, which .NET does not).</summary>
    public static bool IsSpace(char c) => c is (>= '\t' and <= '\r') or (>= '\x1c' and <= '\x1f') or ' ' || char.IsWhiteSpace(c);

    static bool InSet(char c, string? chars) => chars == null ? IsSpace(c) : chars.Contains(c);

    /// <summary>Python <c>s.strip(chars)</c> (whitespace when <paramref name="chars"/> is null).</summary>
    public static string Strip(string s, string? chars = null) => RStrip(LStrip(s, chars), chars);

    /// <summary>Python <c>s.lstrip(chars)</c>.</summary>
    public static string LStrip(string s, string? chars = null)
    {
        int i = 0;
        while (i < s.Length && InSet(s[i], chars)) i++;
        return s[i..];
    }

    /// <summary>Python <c>s.rstrip(chars)</c>.</summary>
    public static string RStrip(string s, string? chars = null)
    {
        int i = s.Length;
        while (i > 0 && InSet(s[i - 1], chars)) i--;
        return s[..i];
    }

    static bool HasSurrogates(string s)
    {
        foreach (char c in s)
            if (char.IsSurrogate(c)) return true;
        return false;
    }

    /// <summary>The string's characters as Python sees them (one entry per code point).</summary>
    public static List<string> Chars(string s)
    {
        var list = new List<string>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(s.Substring(i, 2));
                i++;
            }
            else list.Add(s[i].ToString());
        }
        return list;
    }

    /// <summary>Python <c>len(s)</c>.</summary>
    public static int Length(string s) => HasSurrogates(s) ? Chars(s).Count : s.Length;

    /// <summary>Python <c>s[i]</c>, or null when out of range.</summary>
    public static string? At(string s, long index)
    {
        if (!HasSurrogates(s))
        {
            if (index < 0) index += s.Length;
            return index >= 0 && index < s.Length ? s[(int)index].ToString() : null;
        }
        var chars = Chars(s);
        if (index < 0) index += chars.Count;
        return index >= 0 && index < chars.Count ? chars[(int)index] : null;
    }

    /// <summary>Python <c>s[start:stop:step]</c>.</summary>
    public static string Slice(string s, long? start, long? stop, long? step)
    {
        if (!HasSurrogates(s) && (step ?? 1) == 1)
        {
            var (a, b, _) = PySlice.Indices(s.Length, start, stop, 1);
            return b > a ? s[a..b] : "";
        }
        var chars = Chars(s);
        var sb = new StringBuilder();
        foreach (int i in PySlice.Positions(chars.Count, start, stop, step)) sb.Append(chars[i]);
        return sb.ToString();
    }

    /// <summary>Python's <c>s.split()</c>: runs of whitespace separate, no empty pieces.</summary>
    public static List<string> Split(string s)
    {
        var parts = new List<string>();
        int i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && IsSpace(s[i])) i++;
            int start = i;
            while (i < s.Length && !IsSpace(s[i])) i++;
            if (i > start) parts.Add(s[start..i]);
        }
        return parts;
    }

    /// <summary>Python's <c>''.join(s.split())</c>: every whitespace character removed.</summary>
    public static string RemoveWhiteSpace(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s) if (!IsSpace(c)) sb.Append(c);
        return sb.ToString();
    }

    /// <summary>Python <c>str.split(sep, maxsplit)</c>; a null separator splits on whitespace runs.</summary>
    public static List<object?> Split(string s, string? sep, long maxSplit)
    {
        var parts = new List<object?>();
        if (sep == null)
        {
            int i = 0;
            while (true)
            {
                while (i < s.Length && IsSpace(s[i])) i++;
                if (i >= s.Length) break;
                if (maxSplit >= 0 && parts.Count == maxSplit)
                {
                    parts.Add(RStrip(s[i..], null));
                    break;
                }
                int j = i;
                while (j < s.Length && !IsSpace(s[j])) j++;
                parts.Add(s[i..j]);
                i = j;
            }
            return parts;
        }
        if (sep.Length == 0) throw new ArgumentException("empty separator", nameof(sep));
        int from = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            int k = s.IndexOf(sep, from, StringComparison.Ordinal);
            if (k < 0) break;
            parts.Add(s[from..k]);
            from = k + sep.Length;
        }
        parts.Add(s[from..]);
        return parts;
    }

    /// <summary>Python <c>str.rsplit(sep, maxsplit)</c>.</summary>
    public static List<object?> RSplit(string s, string? sep, long maxSplit)
    {
        if (maxSplit < 0) return Split(s, sep, -1);
        var parts = new List<object?>();
        if (sep == null)
        {
            int i = s.Length;
            while (true)
            {
                while (i > 0 && IsSpace(s[i - 1])) i--;
                if (i <= 0) break;
                if (parts.Count == maxSplit)
                {
                    parts.Add(LStrip(s[..i], null));
                    break;
                }
                int j = i;
                while (j > 0 && !IsSpace(s[j - 1])) j--;
                parts.Add(s[j..i]);
                i = j;
            }
            parts.Reverse();
            return parts;
        }
        if (sep.Length == 0) throw new ArgumentException("empty separator", nameof(sep));
        int end = s.Length;
        while (parts.Count < maxSplit)
        {
            int k = end - sep.Length;
            while (k >= 0 && string.CompareOrdinal(s, k, sep, 0, sep.Length) != 0) k--;
            if (k < 0) break;
            parts.Add(s[(k + sep.Length)..end]);
            end = k;
        }
        parts.Add(s[..end]);
        parts.Reverse();
        return parts;
    }

    /// <summary>Python <c>str.replace(old, new, count)</c>, including the empty-<paramref name="old"/> case.</summary>
    public static string Replace(string s, string old, string replacement, long count)
    {
        if (count == 0) return s;
        var sb = new StringBuilder();
        if (old.Length == 0)
        {
            long n = 0;
            var chars = Chars(s);
            foreach (var ch in chars)
            {
                if (count < 0 || n < count) { sb.Append(replacement); n++; }
                sb.Append(ch);
            }
            if (count < 0 || n < count) sb.Append(replacement);
            return sb.ToString();
        }
        int from = 0;
        long done = 0;
        while (count < 0 || done < count)
        {
            int k = s.IndexOf(old, from, StringComparison.Ordinal);
            if (k < 0) break;
            sb.Append(s, from, k - from).Append(replacement);
            from = k + old.Length;
            done++;
        }
        sb.Append(s, from, s.Length - from);
        return sb.ToString();
    }

    /// <summary>Python <c>str.title()</c>: upper-case a letter after a non-letter, lower-case the rest.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool previousCased = false;
        foreach (char c in s)
        {
            if (char.IsLetter(c))
            {
                sb.Append(previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
                previousCased = true;
            }
            else
            {
                sb.Append(c);
                previousCased = false;
            }
        }
        return sb.ToString();
    }

    /// <summary>Python <c>str.capitalize()</c>.</summary>
    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
    /// <summary>
    /// Python's <c>format(x, '.{digits}f')</c>: rounds the exact binary value half-to-even, where .NET's
    /// "F" format rounds exact ties away from zero (0.125 → "0.12" in Python, "0.13" in .NET).
    /// </summary>
    public static string Fixed(double x, int digits)
    {
        if (double.IsNaN(x)) return "nan";
        if (double.IsInfinity(x)) return x > 0 ? "inf" : "-inf";
        // .NET prints the exact decimal expansion for large precisions; 120 extra digits cover every
        // double of magnitude >= 1e-100, and anything smaller rounds to zero at report precision anyway.
        string exact = Math.Abs(x).ToString("F" + (digits + 120), CultureInfo.InvariantCulture);
        int dot = exact.IndexOf('.');
        string intPart = exact.Substring(0, dot);
        string frac = exact.Substring(dot + 1);
        string kept = frac.Substring(0, digits);
        string rest = frac.Substring(digits);
        bool roundUp;
        if (rest.Length == 0 || rest[0] < '5') roundUp = false;
        else if (rest[0] > '5' || rest.AsSpan(1).ContainsAnyExcept('0')) roundUp = true;
        else
        {
            // Exact tie: round to even on the last kept digit.
            char last = digits > 0 ? kept[^1] : intPart[^1];
            roundUp = (last - '0') % 2 == 1;
        }
        var number = System.Numerics.BigInteger.Parse(intPart + kept, CultureInfo.InvariantCulture);
        if (roundUp) number += 1;
        string digitsStr = number.ToString(CultureInfo.InvariantCulture).PadLeft(digits + 1, '0');
        string result = digits > 0
            ? digitsStr.Substring(0, digitsStr.Length - digits) + "." + digitsStr.Substring(digitsStr.Length - digits)
            : digitsStr;
        bool negative = x < 0 || (x == 0 && double.IsNegative(x));
        return negative ? "-" + result : result;
    }
}
