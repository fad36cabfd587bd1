namespace TuneSharp.Training;

/// <summary>
/// The order of training examples in each epoch: a seeded shuffle (the same for a given seed and epoch,
/// so a resumed run sees exactly the batches it would have seen), optionally grouped by length.
/// </summary>
public static class DataOrder
{
    /// <summary>Batches of example indices for one epoch.</summary>
    public static List<int[]> Batches(int count, int batchSize, long seed, int epoch, IReadOnlyList<int>? lengths, bool groupByLength)
    {
        var rng = new Random(unchecked((int)(seed * 1_000_003 + epoch)));
        var order = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(order);
        if (groupByLength && lengths is not null)
        {
            // HF's LengthGroupedSampler: mega-batches of 50 batches, each sorted longest first, so a batch
            // holds similar lengths (less padding) while mega-batch order stays random.
            int mega = batchSize * 50;
            for (int start = 0; start < order.Length; start += mega)
            {
                int len = Math.Min(mega, order.Length - start);
                Array.Sort(order, start, len, Comparer<int>.Create((a, b) => lengths[b].CompareTo(lengths[a])));
            }
        }
        var batches = new List<int[]>();
        for (int i = 0; i < order.Length; i += batchSize)
            batches.Add(order[i..Math.Min(order.Length, i + batchSize)]);
        return batches;
    }
}
