namespace TuneSharp.Server;

/// <summary>Settings of <c>tunesharp serve</c>; the defaults are safe for a local, single-user server.</summary>
public sealed record ServeOptions
{
    /// <summary>The Hugging Face model folder: a causal LM, or a sequence classifier (then only /v1/classify generates).</summary>
    public required string ModelDir { get; init; }
    /// <summary>LoRA adapter folders by the model name that selects them.</summary>
    public IReadOnlyDictionary<string, string> Adapters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    /// <summary>Interface to bind: loopback unless asked otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>TCP port; 0 picks a free one (see <see cref="RunningServer.BaseAddress"/>).</summary>
    public int Port { get; init; } = 8080;
    /// <summary>When set, every route except /health needs <c>Authorization: Bearer KEY</c>.</summary>
    public string? ApiKey { get; init; }
    /// <summary>Requests waiting for the model beyond the one running; more get 429.</summary>
    public int MaxQueue { get; init; } = 64;
    /// <summary>Largest request body; larger ones get 413.</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;
    /// <summary>Longest prompt in tokens (also capped by the context length).</summary>
    public int? MaxPromptTokens { get; init; }
    /// <summary>Time a request may take from arrival to its last byte, queueing included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);
    /// <summary>Torch device ("cpu", "cuda", ...).</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>
    /// libtorch intra-op threads for the whole process (null = libtorch's default, one per core). On a CPU shared
    /// with other work, 1 avoids threads waiting on each other at every operation (see docs/BENCHMARKS.md).
    /// </summary>
    public int? Threads { get; init; }
    /// <summary>Id of the base model in /v1/models; default the folder name.</summary>
    public string? ModelId { get; init; }
    /// <summary>A multi-task model folder's head to serve (required there, an error elsewhere).</summary>
    public string? Head { get; init; }
    /// <summary>
    /// "continuous" (default): generation requests join and leave one running batch at every decode step
    /// (<see cref="Generation.Continuous.ContinuousBatcher"/>); "none": one request at a time, as before 2026-12-04.
    /// </summary>
    public string Batching { get; init; } = "continuous";
    /// <summary>Limits of continuous batching (sequences decoded together, prompt chunk, prefill budget).</summary>
    public Generation.Continuous.ContinuousBatchingOptions BatchLimits { get; init; } = new();
    /// <summary>When set, the dashboard over this runs folder is mounted at /dashboard, its playground chatting with this model.</summary>
    public string? DashboardRuns { get; init; }

    /// <summary>Checks ranges; bad values are user errors naming the option.</summary>
    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new UserError($"--port: must be between 0 and 65535, got {Port}");
        if (MaxQueue < 1) throw new UserError($"--max-queue: must be >= 1, got {MaxQueue}");
        if (MaxBodyBytes < 1024) throw new UserError($"--max-body-bytes: must be >= 1024, got {MaxBodyBytes}");
        if (MaxPromptTokens is < 1) throw new UserError($"--max-prompt-tokens: must be >= 1, got {MaxPromptTokens}");
        if (Timeout <= TimeSpan.Zero) throw new UserError("--timeout-s: must be > 0");
        if (Threads is < 1 or > 1024) throw new UserError($"--threads: must be between 1 and 1024, got {Threads}");
        if (ApiKey is { Length: 0 }) throw new UserError("--api-key: must not be empty");
        if (Batching is not ("continuous" or "none")) throw new UserError($"--batching: expected continuous or none, got '{Batching}'");
        BatchLimits.Validate();
        if (DashboardRuns is not null && !Directory.Exists(DashboardRuns)) throw new UserError($"--dashboard: runs folder not found: {DashboardRuns}");
        foreach (var name in Adapters.Keys)
            if (string.IsNullOrWhiteSpace(name)) throw new UserError("--adapter: a name is empty (use NAME=DIR)");
    }
}
