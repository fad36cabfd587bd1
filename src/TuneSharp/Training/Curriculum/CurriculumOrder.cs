namespace TuneSharp.Training.Curriculum;

/// <summary>
/// Curriculum batches: examples ranked by difficulty (easiest first, or hardest first for the anti-curriculum control),
/// and each micro-batch drawn from the ranked prefix that the pacing function opens at that point of the run.
/// Within a prefix the examples are dealt from a seeded shuffle and the deal restarts when the prefix grows, so a
/// stretch with a fixed prefix (a baby-steps bucket, or the whole data once pacing is over) visits each of its
/// examples once before repeating one. The batches of an epoch depend only on (seed, epoch): resume is exact.
/// </summary>
public sealed class CurriculumOrder : IBatchOrder
{
    readonly int[] ranked;          // example indices, easiest first (hardest first when HardFirst)
    readonly CurriculumOptions options;
    readonly int batchSize;
    readonly long seed;
    readonly long pacingMicroBatches; // micro-batches until the whole data is in play

    /// <summary>
    /// The order for examples scored by <paramref name="difficulty"/> (one score per training example, higher = harder),
    /// paced over <paramref name="totalMicroBatches"/> (the run's optimizer steps × gradient accumulation).
    /// </summary>
    public CurriculumOrder(IReadOnlyList<double> difficulty, CurriculumOptions options, int batchSize, long seed, long totalMicroBatches)
    {
        if (difficulty.Count == 0) throw new ArgumentException("no training examples", nameof(difficulty));
        this.options = options; this.batchSize = batchSize; this.seed = seed;
        pacingMicroBatches = Math.Max(1, (long)Math.Round(totalMicroBatches * options.PacingRatio));
        // Ties (many examples share a length) are broken by a seeded shuffle, not by file order.
        var tieBreak = Enumerable.Range(0, difficulty.Count).ToArray();
        new Random(unchecked((int)(seed * 7_919 + 1))).Shuffle(tieBreak);
        var rank = new int[difficulty.Count];
        for (int i = 0; i < tieBreak.Length; i++) rank[tieBreak[i]] = i;
        int sign = options.HardFirst ? -1 : 1;
        ranked = Enumerable.Range(0, difficulty.Count)
            .OrderBy(i => sign * difficulty[i]).ThenBy(i => rank[i]).ToArray();
    }

    /// <summary>Example indices from easiest to hardest (or the reverse for the anti-curriculum).</summary>
    public IReadOnlyList<int> Ranked => ranked;

    /// <summary>Micro-batches per epoch: as many as a plain epoch has.</summary>
    public int BatchesPerEpoch => (ranked.Length + batchSize - 1) / batchSize;

    /// <summary>How many of the ranked examples are open to micro-batch <paramref name="globalBatch"/> of the run.</summary>
    public int OpenCount(long globalBatch)
    {
        double share = PacingFunction.Share(options, (double)globalBatch / pacingMicroBatches);
        // At least one batch's worth, so early batches are full and distinct.
        return Math.Clamp((int)Math.Ceiling(share * ranked.Length), Math.Min(batchSize, ranked.Length), ranked.Length);
    }

    public List<int[]> Batches(int epoch)
    {
        var rng = new Random(unchecked((int)(seed * 1_000_003 + epoch)));
        var batches = new List<int[]>(BatchesPerEpoch);
        var deck = new Queue<int>();
        int deckPrefix = -1;
        for (int j = 0; j < BatchesPerEpoch; j++)
        {
            int open = OpenCount((long)epoch * BatchesPerEpoch + j);
            // The last batch of an epoch is short like DataOrder's, once every example is open.
            int size = open == ranked.Length && j == BatchesPerEpoch - 1 ? ranked.Length - j * batchSize : batchSize;
            var batch = new List<int>(size);
            while (batch.Count < size)
            {
                if (open != deckPrefix || deck.Count == 0)
                {
                    // A fresh shuffle of the open prefix, minus what this batch already holds.
                    var prefix = ranked[..open].Where(i => !batch.Contains(i)).ToArray();
                    rng.Shuffle(prefix);
                    deck = new Queue<int>(prefix);
                    deckPrefix = open;
                    if (deck.Count == 0) break;
                }
                batch.Add(deck.Dequeue());
            }
            batches.Add([.. batch]);
        }
        return batches;
    }
}
