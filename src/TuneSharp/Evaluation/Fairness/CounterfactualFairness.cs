namespace TuneSharp.Evaluation.Fairness;

/// <summary>One text whose prediction moved under the swap.</summary>
public sealed record CounterfactualExample(string Original, string Counterfactual, string PredictedLabel, string CounterfactualLabel, double Gap);

/// <summary>
/// The counterfactual token fairness of a classifier on real texts (Garg et al. 2019): over the texts that contain an
/// identity term, the change |p(c | x) − p(c | x')| in the probability of the class c predicted for the original x when
/// every identity term is swapped (x'), as mean and max, and the share of texts whose predicted class flips.
/// </summary>
public sealed record CounterfactualReport(int Texts, int WithTerms, double MeanGap, double MaxGap, double FlipRate, IReadOnlyList<CounterfactualExample> Worst);

public static class CounterfactualFairness
{
    /// <param name="texts">Real texts (a test split).</param>
    /// <param name="classify">Class probabilities per text, in <paramref name="labels"/> order.</param>
    /// <param name="swap">The counterfactual of a text and its number of swaps (<see cref="CounterfactualText.Swap"/>).</param>
    /// <param name="labels">Class names in index order.</param>
    /// <param name="worst">How many of the largest gaps to keep.</param>
    public static CounterfactualReport Measure(IReadOnlyList<string> texts, Func<IReadOnlyList<string>, IReadOnlyList<double[]>> classify,
        Func<string, (string Text, int Swaps)> swap, IReadOnlyList<string> labels, int worst = 5)
    {
        var pairs = texts.Select(t => (Original: t, Swapped: swap(t))).Where(p => p.Swapped.Swaps > 0).ToList();
        if (pairs.Count == 0) return new CounterfactualReport(texts.Count, 0, 0, 0, 0, []);
        var before = classify(pairs.Select(p => p.Original).ToList());
        var after = classify(pairs.Select(p => p.Swapped.Text).ToList());
        var examples = new List<CounterfactualExample>(pairs.Count);
        int flips = 0;
        for (int i = 0; i < pairs.Count; i++)
        {
            int c = ArgMax(before[i]), c2 = ArgMax(after[i]);
            if (c != c2) flips++;
            examples.Add(new CounterfactualExample(pairs[i].Original, pairs[i].Swapped.Text, labels[c], labels[c2], Math.Abs(before[i][c] - after[i][c])));
        }
        return new CounterfactualReport(texts.Count, pairs.Count, examples.Average(e => e.Gap), examples.Max(e => e.Gap),
            (double)flips / pairs.Count, examples.OrderByDescending(e => e.Gap).Take(worst).ToList());
    }

    static int ArgMax(double[] p)
    {
        int best = 0;
        for (int i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
