namespace TuneSharp.Tokenization.PreTokenizers;

/// <summary>What a split does with the delimiters it finds (HF's SplitDelimiterBehavior).</summary>
internal enum SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous }

/// <summary>Turns delimiter matches into pieces, following HF's rules for each behavior.</summary>
internal static class Splitter
{
    /// <summary>
    /// <paramref name="matches"/>: ordered, non-overlapping, non-empty delimiter ranges of the piece's text.
    /// </summary>
    public static IEnumerable<NormalizedText> Apply(NormalizedText piece, IEnumerable<(int Start, int End)> matches,
        SplitBehavior behavior, bool invert)
    {
        // Every unit of the text is in exactly one range: a delimiter match or a gap between matches.
        var ranges = new List<(int Start, int End, bool IsMatch)>();
        int pos = 0;
        foreach (var (s, e) in matches)
        {
            if (s > pos) ranges.Add((pos, s, invert));
            ranges.Add((s, e, !invert));
            pos = e;
        }
        if (pos < piece.Length) ranges.Add((pos, piece.Length, invert));

        var pieces = new List<(int Start, int End)>();
        bool previousMatch = false;
        switch (behavior)
        {
            case SplitBehavior.Removed:
                pieces.AddRange(ranges.Where(r => !r.IsMatch).Select(r => (r.Start, r.End)));
                break;
            case SplitBehavior.Isolated:
                pieces.AddRange(ranges.Select(r => (r.Start, r.End)));
                break;
            case SplitBehavior.MergedWithPrevious:
                foreach (var r in ranges)
                {
                    if (r.IsMatch && !previousMatch && pieces.Count > 0) pieces[^1] = (pieces[^1].Start, r.End);
                    else pieces.Add((r.Start, r.End));
                    previousMatch = r.IsMatch;
                }
                break;
            case SplitBehavior.MergedWithNext:
                for (int i = ranges.Count - 1; i >= 0; i--)
                {
                    var r = ranges[i];
                    if (r.IsMatch && !previousMatch && pieces.Count > 0) pieces[^1] = (r.Start, pieces[^1].End);
                    else pieces.Add((r.Start, r.End));
                    previousMatch = r.IsMatch;
                }
                pieces.Reverse();
                break;
            case SplitBehavior.Contiguous:
                foreach (var r in ranges)
                {
                    if (r.IsMatch && previousMatch && pieces.Count > 0) pieces[^1] = (pieces[^1].Start, r.End);
                    else pieces.Add((r.Start, r.End));
                    previousMatch = r.IsMatch;
                }
                break;
        }
        return pieces.Where(p => p.End > p.Start).Select(p => piece.Slice(p.Start, p.End - p.Start));
    }
}
