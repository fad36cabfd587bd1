namespace TuneSharp.Generation.Continuous;

/// <summary>Limits of the continuous batcher (<see cref="ContinuousBatcher"/>).</summary>
public sealed record ContinuousBatchingOptions
{
    /// <summary>Sequences decoded together at most (KV-cache slots); a request's prompts × n must fit.</summary>
    public int MaxBatch { get; init; } = 64;

    /// <summary>
    /// Prompt tokens of one sequence read per iteration: a long prompt is read in chunks, so that the sequences already
    /// generating get a token between chunks instead of waiting for the whole prompt.
    /// </summary>
    public int PrefillChunk { get; init; } = 128;

    /// <summary>
    /// Prompt tokens that newly joining requests may read per iteration, all together (the first waiting request always
    /// joins). Bounds how long one iteration's prefill delays the running sequences' next token.
    /// </summary>
    public int PrefillBudget { get; init; } = 512;

    /// <summary>Checks ranges; bad values are user errors naming the option.</summary>
    public void Validate()
    {
        if (MaxBatch is < 1 or > 4096) throw new UserError($"--max-batch: must be between 1 and 4096, got {MaxBatch}");
        if (PrefillChunk < 1) throw new UserError($"--prefill-chunk: must be >= 1, got {PrefillChunk}");
        if (PrefillBudget < 1) throw new UserError($"--prefill-budget: must be >= 1, got {PrefillBudget}");
    }
}
