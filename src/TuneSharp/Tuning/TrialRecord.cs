using System.Text.Json.Nodes;

namespace TuneSharp.Tuning;

/// <summary>Where a trial stands. Stored as its upper-case name.</summary>
public enum TrialState { Running, Complete, Pruned, Fail }

/// <summary>
/// One trial as storage holds it: its number in the study, state, sampled recipe values, objective value,
/// intermediate values (training step → validation metric) and free-form attributes (test metrics, errors).
/// </summary>
public sealed record TrialRecord
{
    public required long Id { get; init; }
    public required int Number { get; init; }
    public required TrialState State { get; init; }
    /// <summary>Recipe key → sampled value; null until the worker has sampled it.</summary>
    public JsonObject? Params { get; init; }
    public double? Value { get; init; }
    public IReadOnlyDictionary<int, double> Intermediate { get; init; } = new SortedDictionary<int, double>();
    public JsonObject Attrs { get; init; } = [];
    public string? Worker { get; init; }
    /// <summary>Times this trial was started (a dead worker's trial is retried once).</summary>
    public int Attempts { get; init; } = 1;
    /// <summary>Unix seconds.</summary>
    public double? StartedAt { get; init; }
    public double? FinishedAt { get; init; }
    public double? HeartbeatAt { get; init; }

    /// <summary>Finished trials: complete, pruned or failed.</summary>
    public bool IsFinished => State != TrialState.Running;

    /// <summary>The last step with an intermediate value, if any.</summary>
    public int? LastStep => Intermediate.Count == 0 ? null : Intermediate.Keys.Max();
}

/// <summary>A study as stored: its name, direction and the search file it was created with.</summary>
public sealed record StudyInfo(long Id, string Name, bool Maximize, JsonObject Config);
