using System.Globalization;
using System.Text;

namespace TuneSharp.Evaluation;

/// <summary>
/// The few Python string behaviours the reference implementations rely on. Python's <c>str.split()</c>
/// and <c>str.rstrip()</c> treat U+001C..U+001F as whitespace while .NET does not, and Python indexes
/// strings by code point while .NET indexes UTF-16 units; matching both keeps scores identical on
/// non-ASCII text.
/// </summary>
internal static class PyText
{
    public static bool IsWhiteSpace(char c) => char.IsWhiteSpace(c) || (c >= '\u001c' && c <= '\u001f');

    /// <summary>Python's <c>s.split()</c>: runs of whitespace separate, no empty pieces.</summary>
    public static List<string> Split(string s)
    {
        var parts = new List<string>();
        int i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && IsWhiteSpace(s[i])) i++;
            int start = i;
            while (i < s.Length && !IsWhiteSpace(s[i])) i++;
            if (i > start) parts.Add(s.Substring(start, i - start));
        }
        return parts;
    }

    /// <summary>Python's <c>s.rstrip()</c>.</summary>
    public static string RStrip(string s)
    {
        int end = s.Length;
        while (end > 0 && IsWhiteSpace(s[end - 1])) end--;
        return s.Substring(0, end);
    }

    /// <summary>Python's <c>''.join(s.split())</c>: every whitespace character removed.</summary>
    public static string RemoveWhiteSpace(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s) if (!IsWhiteSpace(c)) sb.Append(c);
        return sb.ToString();
    }

    /// <summary>The string as Python sees it: one element per code point (surrogate pairs kept together).</summary>
    public static string[] CodePoints(string s)
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
        return list.ToArray();
    }

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
