using System.Globalization;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// Parses option values given as text, so that a bad value is a <see cref="UserError"/> (one line naming the
/// option, exit 2) rather than a parser error. Numbers are read with the invariant culture.
/// </summary>
internal static class OptionValues
{
    /// <summary>An integer, at least <paramref name="min"/>; null when the option was not given.</summary>
    public static int? Int(string? text, string option, int min = int.MinValue)
    {
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
            throw new UserError($"{option}: expected an integer (got '{text}')");
        if (v < min) throw new UserError(string.Create(CultureInfo.InvariantCulture, $"{option}: must be >= {min} (got {v})"));
        return v;
    }

    /// <summary>A non-negative 64-bit integer (seeds); null when the option was not given.</summary>
    public static ulong? UInt64(string? text, string option)
    {
        if (text is null) return null;
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)
            ? v
            : throw new UserError($"{option}: expected a non-negative integer (got '{text}')");
    }

    /// <summary>A number in [0, 1] (or (0, 1] when <paramref name="exclusiveZero"/>); null when not given.</summary>
    public static double? Fraction(string? text, string option, bool exclusiveZero = false)
    {
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new UserError($"{option}: expected a number between 0 and 1 (got '{text}')");
        if (v > 1 || v < 0 || (exclusiveZero && v == 0))
            throw new UserError(string.Create(CultureInfo.InvariantCulture,
                $"{option}: must be {(exclusiveZero ? "above 0" : "between 0")} and {(exclusiveZero ? "at most 1" : "1")} (got {v})"));
        return v;
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive), returned lower-cased; null when not given.</summary>
    public static string? Choice(string? text, string option, params string[] choices)
    {
        if (text is null) return null;
        foreach (var c in choices)
            if (string.Equals(c, text.Trim(), StringComparison.OrdinalIgnoreCase)) return c;
        throw new UserError($"{option}: expected {string.Join(", ", choices[..^1])} or {choices[^1]} (got '{text}')");
    }

    /// <summary>A comma-separated list without empty entries (empty when not given).</summary>
    public static List<string> List(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
