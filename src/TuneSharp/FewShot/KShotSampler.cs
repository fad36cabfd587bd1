namespace TuneSharp.FewShot;

/// <summary>A k-shot training set: the chosen row indices and the classes that had fewer than k rows to give.</summary>
/// <param name="Indices">Rows chosen, grouped by class in label order, each class's rows in the seeded order.</param>
/// <param name="Shortfalls">Class → rows it had, for each class with fewer than k (those give all they have).</param>
public sealed record KShotSample(IReadOnlyList<int> Indices, IReadOnlyDictionary<string, int> Shortfalls);

/// <summary>
/// Stratified k-per-class sampling, as few-shot papers draw their training sets (SetFit's "k examples per class"):
/// each class's rows are shuffled with one seeded generator and the first k kept. Classes are visited in the order
/// of <c>labels</c>, so the draw depends only on the rows, k and the seed, and a larger k with the same seed starts
/// with the smaller k's rows (nested sets: a curve over k measures k, not a new draw).
/// </summary>
public static class KShotSampler
{
    public static KShotSample Sample(IReadOnlyList<string> rowLabels, IReadOnlyList<string> labels, int k, long seed)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), "k must be positive");
        var indices = new List<int>();
        var shortfalls = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var rows = Enumerable.Range(0, rowLabels.Count).Where(i => rowLabels[i] == label).ToArray();
            // One generator per class, seeded by (seed, class name): adding a class does not reshuffle the others.
            var rng = new Random(unchecked((int)(seed * 7919)) ^ StableHash(label));
            rng.Shuffle(rows);
            if (rows.Length < k) shortfalls[label] = rows.Length;
            indices.AddRange(rows.Take(k));
        }
        return new KShotSample(indices, shortfalls);
    }

    // string.GetHashCode (and HashCode) are randomised per process; the draw must be the same on every run.
    static int StableHash(string s)
    {
        unchecked
        {
            int h = 23;
            foreach (char c in s) h = h * 31 + c;
            return h;
        }
    }
}
