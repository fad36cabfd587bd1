namespace TuneSharp.FewShot;

/// <summary>Two training rows and the cosine similarity the encoder should give them (1 same label, 0 different).</summary>
public readonly record struct ContrastivePair(int First, int Second, float Target);

/// <summary>
/// SetFit's pair generation (setfit's sentence_pairs_generation, the num_iterations scheme): for each iteration and
/// each example, one positive pair (the example and a random other example of its label) and one negative pair (the
/// example and a random example of another label), so 2 · iterations · N pairs, half positive. A class with a single
/// example pairs it with itself (setfit does the same: the positive is drawn from the class including the anchor).
/// The list is shuffled with the seed so that batches mix positives and negatives.
/// </summary>
public static class ContrastivePairs
{
    public static IReadOnlyList<ContrastivePair> Generate(IReadOnlyList<int> labels, int iterations, long seed, int? maxPairs = null)
    {
        if (iterations <= 0) throw new ArgumentOutOfRangeException(nameof(iterations), "num_iterations must be positive");
        var byLabel = labels.Select((l, i) => (l, i)).GroupBy(x => x.l).ToDictionary(g => g.Key, g => g.Select(x => x.i).ToArray());
        if (byLabel.Count < 2) throw new ArgumentException("contrastive pairs need at least 2 labels (a negative pair needs another label)");
        var rng = new Random(unchecked((int)seed));
        var pairs = new List<ContrastivePair>(2 * iterations * labels.Count);
        for (int it = 0; it < iterations; it++)
            for (int i = 0; i < labels.Count; i++)
            {
                var same = byLabel[labels[i]];
                pairs.Add(new ContrastivePair(i, same[rng.Next(same.Length)], 1f));
                int other;
                do other = rng.Next(labels.Count); while (labels[other] == labels[i]);
                pairs.Add(new ContrastivePair(i, other, 0f));
            }
        var shuffled = pairs.ToArray();
        rng.Shuffle(shuffled);
        return maxPairs is int cap && cap < shuffled.Length ? shuffled[..cap] : shuffled;
    }
}
