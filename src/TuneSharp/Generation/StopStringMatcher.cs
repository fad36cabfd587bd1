using System.Text;

namespace TuneSharp.Generation;

/// <summary>
/// Finds stop strings in streamed text. Text that could be the start of a stop string is held back until it is
/// known not to be one, so the emitted deltas never contain any part of a stop string, and the final text is cut
/// before the first stop string (OpenAI's behaviour).
/// </summary>
public sealed class StopStringMatcher
{
    readonly IReadOnlyList<string> stops;
    readonly int longest;
    readonly StringBuilder text = new();
    int emitted;

    /// <summary>A matcher for one sequence; <paramref name="stops"/> may be empty.</summary>
    public StopStringMatcher(IReadOnlyList<string> stops)
    {
        this.stops = stops;
        longest = stops.Count == 0 ? 0 : stops.Max(s => s.Length);
    }

    /// <summary>True once a stop string was found.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The text so far, cut before the stop string once one was found.</summary>
    public string Text => text.ToString();

    /// <summary>Adds decoded text; returns what can be emitted now and whether a stop string ended the sequence.</summary>
    public (string Delta, bool Stopped) Append(string piece)
    {
        if (Stopped || piece.Length == 0) return ("", Stopped);
        // A new match must end inside the new piece, so it starts at most longest-1 characters before it.
        int searchFrom = Math.Max(0, text.Length - Math.Max(0, longest - 1));
        text.Append(piece);
        var s = text.ToString();
        int cut = -1;
        foreach (var stop in stops)
        {
            int at = s.IndexOf(stop, searchFrom, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0)
        {
            Stopped = true;
            text.Length = cut;
            return (Take(cut), true);
        }
        return (Take(s.Length - HeldBack(s)), false);
    }

    /// <summary>Emits whatever was held back (the sequence ended without a stop string).</summary>
    public string Flush() => Take(text.Length);

    string Take(int end)
    {
        if (end <= emitted) return "";
        var delta = text.ToString(emitted, end - emitted);
        emitted = end;
        return delta;
    }

    // Length of the longest suffix of s that is a proper prefix of some stop string.
    int HeldBack(string s)
    {
        for (int k = Math.Min(longest - 1, s.Length); k > 0; k--)
            foreach (var stop in stops)
                if (stop.Length > k && string.CompareOrdinal(s, s.Length - k, stop, 0, k) == 0) return k;
        return 0;
    }
}
