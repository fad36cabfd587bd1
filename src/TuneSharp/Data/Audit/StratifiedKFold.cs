namespace TuneSharp.Data.Audit;

/// <summary>Seeded stratified k-fold: every fold gets about the same share of every class.</summary>
public static class StratifiedKFold
{
    /// <summary>
    /// The fold (0..k-1) of each example. Each class's examples are shuffled with the seed and dealt round-robin,
    /// continuing the deal across classes so that fold sizes differ by at most one.
    /// </summary>
    public static int[] Assign(IReadOnlyList<int> labels, int folds, int seed)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), "at least 2 folds");
        var fold = new int[labels.Count];
        var rng = new Random(seed);
        int next = 0;
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle(members);
            foreach (var i in members) fold[i] = next++ % folds;
        }
        return fold;
    }
}
