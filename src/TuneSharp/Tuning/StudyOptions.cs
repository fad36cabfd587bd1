namespace TuneSharp.Tuning;

/// <summary>How a worker takes part in a study.</summary>
public sealed record StudyOptions
{
    /// <summary>This process's name in storage (host:pid:random).</summary>
    public string Worker { get; init; } = WorkerId.New();
    /// <summary>How often a running trial's heartbeat is refreshed.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A RUNNING trial whose heartbeat is older than this belongs to a dead worker and is taken over.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Runs of one trial number at most: a trial whose worker died is retried once, then marked failed.</summary>
    public int MaxAttempts { get; init; } = 2;
}
