namespace TuneSharp.Evaluation;

/// <summary>
/// Turns sacreBLEU-shaped references (a list of reference streams, each aligned with the hypotheses)
/// into the references of each segment. Empty or null entries mean "no reference from this stream
/// for this segment", which gives a variable number of references ("nrefs:var").
/// </summary>
internal static class ReferenceSet
{
    public sealed record Segments(List<List<string>> PerSegment, string NRefs);

    public static Segments FromStreams(string metric, IReadOnlyList<string> hypotheses,
        IReadOnlyList<IReadOnlyList<string>> referenceStreams)
    {
        EvalGuard.NotNull(metric, hypotheses, "hypotheses");
        EvalGuard.NotNull(metric, referenceStreams, "references");
        EvalGuard.NotEmpty(metric, hypotheses.Count, "hypotheses");
        EvalGuard.NotEmpty(metric, referenceStreams.Count, "references (no reference stream)");
        for (int s = 0; s < referenceStreams.Count; s++)
        {
            var stream = EvalGuard.NotNull(metric, referenceStreams[s], $"reference stream {s}");
            EvalGuard.SameLength(metric, hypotheses.Count, stream.Count, "hypotheses", $"reference stream {s}");
        }
        var perSegment = new List<List<string>>(hypotheses.Count);
        var counts = new HashSet<int>();
        for (int i = 0; i < hypotheses.Count; i++)
        {
            EvalGuard.NotNull(metric, hypotheses[i], $"hypothesis {i}");
            var refs = new List<string>();
            foreach (var stream in referenceStreams)
                if (!string.IsNullOrEmpty(stream[i])) refs.Add(stream[i]);
            if (refs.Count == 0)
                throw new UserError($"{metric}: segment {i} has no reference (every reference for it is empty or null).");
            counts.Add(refs.Count);
            perSegment.Add(refs);
        }
        string nrefs = counts.Count == 1
            ? counts.First().ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "var";
        return new Segments(perSegment, nrefs);
    }

    /// <summary>A single hypothesis with its references, as one segment.</summary>
    public static Segments ForSentence(string metric, string hypothesis, IReadOnlyList<string> references)
    {
        EvalGuard.NotNull(metric, hypothesis, "hypothesis");
        EvalGuard.NotNull(metric, references, "references");
        EvalGuard.NotEmpty(metric, references.Count, "references");
        return FromStreams(metric, [hypothesis], references.Select(r => (IReadOnlyList<string>)[r]).ToList());
    }
}
