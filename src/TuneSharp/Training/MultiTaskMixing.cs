namespace TuneSharp.Training;

/// <summary>
/// Multi-task batch mixing: every micro-batch holds examples of ONE task, and the tasks take turns by
/// <see cref="Mode"/>. Indices are global over the tasks' training sets concatenated in order (task t's example i
/// is offset_t + i). An epoch is as many batches as all tasks' batches together (Σ_t ⌈n_t / batch_size⌉), so one
/// epoch of proportional mixing shows every example once, as the single-task epochs would. Each task draws its
/// batches from its own seeded shuffle (<see cref="DataOrder"/>), reshuffled when a task runs out within an epoch
/// (temperature and round-robin sampling oversample small tasks). The batches are a pure function of (seed, epoch).
/// </summary>
public sealed class MultiTaskMixing : IBatchOrder
{
    /// <summary>The mixing modes.</summary>
    public static readonly string[] Modes = ["proportional", "temperature", "round_robin"];

    readonly IReadOnlyList<int> counts;
    readonly IReadOnlyList<IReadOnlyList<int>>? lengths;
    readonly int batchSize;
    readonly long seed;
    readonly bool groupByLength;

    /// <summary>proportional | temperature | round_robin.</summary>
    public string Mode { get; }

    /// <summary>Temperature T of temperature sampling (p_t ∝ n_t^(1/T)).</summary>
    public double Temperature { get; }

    /// <param name="counts">Training examples per task, in task order (each at least 1).</param>
    /// <param name="batchSize">Examples per micro-batch.</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="mode">proportional | temperature | round_robin.</param>
    /// <param name="temperature">T for temperature sampling (> 0).</param>
    /// <param name="lengths">Token lengths per task (for group_by_length), or null.</param>
    /// <param name="groupByLength">Group each task's batches by length as <see cref="DataOrder"/> does.</param>
    public MultiTaskMixing(IReadOnlyList<int> counts, int batchSize, long seed, string mode = "proportional", double temperature = 2,
        IReadOnlyList<IReadOnlyList<int>>? lengths = null, bool groupByLength = false)
    {
        if (counts.Count == 0 || counts.Any(c => c < 1)) throw new ArgumentException("every task needs training examples", nameof(counts));
        if (!Modes.Contains(mode)) throw new UserError($"multi_task.mixing: '{mode}' is not {string.Join(", ", Modes)}");
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new UserError($"multi_task.temperature: must be a positive number, got {temperature}");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        this.counts = counts; this.batchSize = batchSize; this.seed = seed; this.lengths = lengths; this.groupByLength = groupByLength;
        Mode = mode; Temperature = temperature;
    }

    /// <summary>Batches of task t in one pass over it.</summary>
    int BatchesOf(int t) => (counts[t] + batchSize - 1) / batchSize;

    /// <summary>
    /// The expected share of batches of each task: proportional ∝ its batches, temperature ∝ n_t^(1/T)
    /// (T = 1 is proportional in examples, large T uniform), round robin uniform.
    /// </summary>
    public double[] Probabilities()
    {
        var raw = Mode switch
        {
            "proportional" => Enumerable.Range(0, counts.Count).Select(t => (double)BatchesOf(t)).ToArray(),
            "temperature" => counts.Select(n => Math.Pow(n, 1 / Temperature)).ToArray(),
            _ => counts.Select(_ => 1.0).ToArray(),
        };
        double sum = raw.Sum();
        return raw.Select(x => x / sum).ToArray();
    }

    /// <summary>The task of each batch of <paramref name="epoch"/>, in order.</summary>
    public int[] TaskSequence(int epoch)
    {
        int total = Enumerable.Range(0, counts.Count).Sum(BatchesOf);
        var rng = new Random(unchecked((int)(seed * 1_000_003 + epoch * 7_919 + 17)));
        switch (Mode)
        {
            case "proportional":
                // Without replacement: exactly each task's batch count, in a seeded shuffle.
                var slots = Enumerable.Range(0, counts.Count).SelectMany(t => Enumerable.Repeat(t, BatchesOf(t))).ToArray();
                rng.Shuffle(slots);
                return slots;
            case "temperature":
                var cumulative = Probabilities();
                for (int t = 1; t < cumulative.Length; t++) cumulative[t] += cumulative[t - 1];
                return Enumerable.Range(0, total).Select(_ =>
                {
                    double u = rng.NextDouble();
                    int t = Array.FindIndex(cumulative, c => u < c);
                    return t < 0 ? cumulative.Length - 1 : t;
                }).ToArray();
            default:
                return Enumerable.Range(0, total).Select(i => i % counts.Count).ToArray();
        }
    }

    /// <inheritdoc/>
    public List<int[]> Batches(int epoch)
    {
        var offsets = new int[counts.Count];
        for (int t = 1; t < counts.Count; t++) offsets[t] = offsets[t - 1] + counts[t - 1];
        var streams = Enumerable.Range(0, counts.Count).Select(t => new TaskStream(this, t, epoch)).ToArray();
        return TaskSequence(epoch).Select(t => streams[t].Next().Select(i => offsets[t] + i).ToArray()).ToList();
    }

    /// <summary>One task's batches within an epoch: its seeded shuffle, then a new shuffle each time it runs out.</summary>
    sealed class TaskStream(MultiTaskMixing mixing, int task, int epoch)
    {
        List<int[]> pass = [];
        int next, passes;

        public int[] Next()
        {
            if (next >= pass.Count)
            {
                // Distinct (seed, epoch) per task and pass; DataOrder mixes them into its Random seed.
                pass = DataOrder.Batches(mixing.counts[task], mixing.batchSize, mixing.seed + 104_729L * (task + 1), epoch * 4_096 + passes++,
                    mixing.lengths?[task], mixing.groupByLength);
                next = 0;
            }
            return pass[next++];
        }
    }
}
