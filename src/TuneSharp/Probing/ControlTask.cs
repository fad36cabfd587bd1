using TuneSharp.Data.Dedup;

namespace TuneSharp.Probing;

/// <summary>
/// Control tasks (Hewitt &amp; Liang 2019, "Designing and Interpreting Probes with Control Tasks"): labels that only a
/// probe able to memorise can predict, so that a probe's accuracy can be told apart from what the representation
/// encodes. Selectivity = accuracy on the real task − accuracy on its control.
/// </summary>
public static class ControlTask
{
    /// <summary>
    /// The control label of a word type: a draw from <paramref name="distribution"/> (the real labels' frequencies)
    /// made by hashing the word with the seed, so the same word gets the same label in every split, every sentence and
    /// every run, whatever order the words come in. Word types are exact word forms ("The" and "the" differ).
    /// </summary>
    public static int LabelOf(string wordType, IReadOnlyList<double> distribution, int seed)
    {
        ulong h = StableHash.Mix(StableHash.Of(wordType) ^ StableHash.Mix((ulong)(uint)seed));
        double u = (h >> 11) * (1.0 / (1UL << 53));                                   // uniform in [0, 1)
        double total = distribution.Sum(), cumulative = 0;
        for (int k = 0; k < distribution.Count; k++)
        {
            cumulative += distribution[k] / total;
            if (u < cumulative) return k;
        }
        // Rounding can leave the last cumulative a hair below 1: the draw then belongs to the last class with any mass.
        for (int k = distribution.Count - 1; k >= 0; k--) if (distribution[k] > 0) return k;
        throw new ArgumentException("the label distribution has no mass", nameof(distribution));
    }

    /// <summary>The frequency of each label 0..classes-1 in <paramref name="labels"/> (labels outside that range ignored).</summary>
    public static double[] Distribution(IEnumerable<int> labels, int classes)
    {
        var counts = new double[classes];
        foreach (var l in labels) if (l >= 0 && l < classes) counts[l]++;
        return counts;
    }

    /// <summary>
    /// The sequence-level control: the same labels shuffled across the examples (a seeded permutation), so the
    /// label distribution is kept and any link between a text and its label is cut.
    /// </summary>
    public static int[] Shuffled(IReadOnlyList<int> labels, int seed)
    {
        var copy = labels.ToArray();
        new Random(seed).Shuffle(copy);
        return copy;
    }
}
