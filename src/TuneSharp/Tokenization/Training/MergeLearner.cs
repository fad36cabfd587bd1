using System.Runtime.InteropServices;

namespace TuneSharp.Tokenization.Training;

/// <summary>
/// The merge loop of HF's <c>BpeTrainer::do_train</c>, step for step, so the same word counts give the same merges:
/// pair counts are kept up to date incrementally from the changes each merge makes in the words holding the pair,
/// and a priority queue (highest count first, then smallest pair of ids) holds each pair with the words to visit.
/// A queue entry whose count went stale is put back with the current count instead of being merged.
/// </summary>
internal static class MergeLearner
{
    /// <summary>A queued candidate: the pair and the words (indices) where it was seen.</summary>
    readonly record struct Candidate(long Pair, List<int> Words);

    /// <summary>Max-heap order on (count, pair): higher counts first; on a tie the smaller pair, as HF's <c>Merge::cmp</c>.</summary>
    sealed class Order : IComparer<(long Count, long Pair)>
    {
        public static readonly Order Instance = new();

        public int Compare((long Count, long Pair) x, (long Count, long Pair) y) =>
            x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Pair.CompareTo(y.Pair);
    }

    /// <summary>
    /// Learns merges over <paramref name="wordCounts"/> until <paramref name="vocab"/> holds <paramref name="vocabSize"/>
    /// tokens or no pair is seen at least <paramref name="minFrequency"/> times; new tokens are added to the vocabulary.
    /// </summary>
    /// <returns>The merges in rank order, as the ids of the two tokens joined.</returns>
    public static List<(int Left, int Right)> Learn(Vocabulary vocab, IReadOnlyDictionary<string, long> wordCounts,
        int vocabSize, long minFrequency)
    {
        var (words, counts) = Split(vocab, wordCounts);
        var pairCounts = new Dictionary<long, long>();
        var positions = new Dictionary<long, List<int>>();
        for (int w = 0; w < words.Length; w++)
        {
            var symbols = words[w].Symbols;
            for (int i = 0; i + 1 < symbols.Length; i++)
            {
                long pair = BpeTrainer.PairKey(symbols[i], symbols[i + 1]);
                CollectionsMarshal.GetValueRefOrAddDefault(pairCounts, pair, out _) += counts[w];
                AddPosition(positions, pair, w);
            }
        }
        var queue = new PriorityQueue<Candidate, (long Count, long Pair)>(Order.Instance);
        Enqueue(queue, positions, pairCounts);

        var merges = new List<(int, int)>();
        var changes = new List<(long Pair, int Change)>();
        while (vocab.Count < vocabSize && queue.TryDequeue(out var top, out var priority))
        {
            long count = pairCounts[top.Pair];
            if (priority.Count != count)
            {
                queue.Enqueue(top, (count, top.Pair));
                continue;
            }
            if (count < 1 || count < minFrequency) break;

            int left = (int)(top.Pair >> 32), right = (int)top.Pair;
            // The joined string may already be a token (made from another split of it): HF reuses its id.
            int merged = vocab.GetOrAdd(vocab.Tokens[left] + vocab.Tokens[right]);
            merges.Add((left, right));

            foreach (var w in top.Words)
            {
                changes.Clear();
                words[w].Merge(left, right, merged, changes);
                foreach (var (pair, change) in changes)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(pairCounts, pair, out _) += change * counts[w];
                    if (change > 0) AddPosition(positions, pair, w);
                }
            }
            Enqueue(queue, positions, pairCounts);
        }
        return merges;
    }

    /// <summary>
    /// The distinct words as token ids, in ordinal order so ids of words (and so the run) do not depend on how
    /// the counts were gathered.
    /// </summary>
    static (BpeWord[] Words, long[] Counts) Split(Vocabulary vocab, IReadOnlyDictionary<string, long> wordCounts)
    {
        var keys = wordCounts.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        var symbolIds = new Dictionary<char, int>();
        foreach (var key in keys)
            foreach (var c in key)
                if (!symbolIds.ContainsKey(c)) symbolIds[c] = vocab[c.ToString()];
        var words = new BpeWord[keys.Length];
        var counts = new long[keys.Length];
        for (int w = 0; w < keys.Length; w++)
        {
            var key = keys[w];
            var ids = new int[key.Length];
            for (int i = 0; i < key.Length; i++) ids[i] = symbolIds[key[i]];
            words[w] = new BpeWord(ids);
            counts[w] = wordCounts[key];
        }
        return (words, counts);
    }

    /// <summary>Records that word <paramref name="w"/> holds the pair; a word's pairs come together, so a repeat is the last entry.</summary>
    static void AddPosition(Dictionary<long, List<int>> positions, long pair, int w)
    {
        if (!positions.TryGetValue(pair, out var list)) positions[pair] = list = new List<int>();
        if (list.Count == 0 || list[^1] != w) list.Add(w);
    }

    /// <summary>Queues every pair that gained occurrences (with just the words where it did), then forgets them.</summary>
    static void Enqueue(PriorityQueue<Candidate, (long Count, long Pair)> queue, Dictionary<long, List<int>> positions,
        Dictionary<long, long> pairCounts)
    {
        foreach (var (pair, words) in positions)
        {
            long count = pairCounts[pair];
            if (count > 0) queue.Enqueue(new Candidate(pair, words), (count, pair));
        }
        positions.Clear();
    }
}
