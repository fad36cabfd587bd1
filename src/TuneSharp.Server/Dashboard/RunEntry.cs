namespace TuneSharp.Server.Dashboard;

/// <summary>One row of the runs list. <see cref="Status"/> is finished, running, stopped, study or broken.</summary>
public sealed record RunEntry(
    string Name, string Status, string? Recipe, string? Model, string? Task, string? Method,
    string? BestMetricName, double? BestMetric, double? DurationS, string? BrokenReason);
