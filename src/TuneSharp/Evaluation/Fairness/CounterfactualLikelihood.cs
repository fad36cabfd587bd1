namespace TuneSharp.Evaluation.Fairness;

/// <summary>One text whose likelihood moved most under the swap.</summary>
/// <param name="Original">The real text.</param>
/// <param name="Counterfactual">The text with its identity terms swapped.</param>
/// <param name="Delta">Mean log-probability per scored token, original context minus counterfactual context (nats).</param>
public sealed record LikelihoodExample(string Original, string Counterfactual, double Delta);

/// <summary>
/// The swap test for a generative model: the same words read after an original and after a counterfactual context.
/// For each real text naming an identity term, the shared pieces after the first swapped term are scored (mean
/// log-probability per token) in the original text and in the counterfactual one; the swapped words themselves are
/// not scored, so a frequent pronoun does not count as bias. Δ &gt; 0: the model finds the text more likely with the
/// original identity. Reported: mean |Δ|, max |Δ|, mean Δ, the share of texts with Δ &gt; 0, and the largest |Δ|.
/// </summary>
public sealed record CounterfactualLikelihoodReport(int Texts, int WithTerms, double MeanAbsDelta, double MaxAbsDelta, double MeanDelta,
    double PreferOriginalShare, IReadOnlyList<LikelihoodExample> Worst);

public static class CounterfactualLikelihood
{
    /// <param name="texts">Real texts (a test split).</param>
    /// <param name="pieces">A text cut at its identity terms (<see cref="CounterfactualText.Pieces"/>).</param>
    /// <param name="meanLogProb">
    /// For each text given as pieces with a flag "scored", the mean log-probability of the scored pieces' tokens
    /// (NaN when none); called once for the originals and once for the counterfactuals.
    /// </param>
    /// <param name="worst">How many of the largest |Δ| to keep.</param>
    public static CounterfactualLikelihoodReport Measure(IReadOnlyList<string> texts, Func<string, IReadOnlyList<TextPiece>> pieces,
        Func<IReadOnlyList<IReadOnlyList<(string Text, bool Scored)>>, IReadOnlyList<double>> meanLogProb, int worst = 5)
    {
        var cut = texts.Select(pieces).Where(p => p.Any(x => x.Swapped) && ScoredAfterFirstSwap(p).Any(x => x.Scored && x.Text.Trim().Length > 0)).ToList();
        if (cut.Count == 0) return new CounterfactualLikelihoodReport(texts.Count, 0, 0, 0, 0, 0, []);
        var original = meanLogProb(cut.Select(p => (IReadOnlyList<(string, bool)>)ScoredAfterFirstSwap(p).ToList()).ToList());
        var counterfactual = meanLogProb(cut.Select(p => (IReadOnlyList<(string, bool)>)ScoredAfterFirstSwap(p, counterfactual: true).ToList()).ToList());
        var examples = cut.Select((p, i) => new LikelihoodExample(string.Concat(p.Select(x => x.Original)), string.Concat(p.Select(x => x.Counterfactual)),
            original[i] - counterfactual[i])).Where(e => double.IsFinite(e.Delta)).ToList();
        if (examples.Count == 0) return new CounterfactualLikelihoodReport(texts.Count, 0, 0, 0, 0, 0, []);
        return new CounterfactualLikelihoodReport(texts.Count, examples.Count, examples.Average(e => Math.Abs(e.Delta)), examples.Max(e => Math.Abs(e.Delta)),
            examples.Average(e => e.Delta), examples.Count(e => e.Delta > 0) / (double)examples.Count,
            examples.OrderByDescending(e => Math.Abs(e.Delta)).Take(worst).ToList());
    }

    /// <summary>The pieces of one side, with the shared pieces after the first swapped term marked as scored.</summary>
    static IEnumerable<(string Text, bool Scored)> ScoredAfterFirstSwap(IReadOnlyList<TextPiece> pieces, bool counterfactual = false)
    {
        bool seenSwap = false;
        foreach (var p in pieces)
        {
            seenSwap |= p.Swapped;
            yield return (counterfactual ? p.Counterfactual : p.Original, seenSwap && !p.Swapped);
        }
    }
}
