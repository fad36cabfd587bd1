using TuneSharp.Tasks;
using TuneSharp.Training;

namespace TuneSharp.Reporting;

/// <summary>How the model was trained: full fine-tuning or an adapter, with the parameter counts that matter for cost.</summary>
/// <param name="Name">"full" or "lora" (any method name is shown as given).</param>
/// <param name="TrainableParameters">Parameters the optimizer updated.</param>
/// <param name="TotalParameters">All parameters of the model, adapters and heads included.</param>
/// <param name="Details">Method settings for the reader, e.g. "r=8, alpha=16, dropout=0.05, targets q_proj,v_proj".</param>
public sealed record TrainingMethod(string Name, long TrainableParameters, long TotalParameters, string? Details = null)
{
    /// <summary>Share of the parameters that were trained, in percent (0 for an empty model).</summary>
    public double TrainablePercent => TotalParameters > 0 ? 100.0 * TrainableParameters / TotalParameters : 0;
}

/// <summary>A data file the run read, with the split it served and how many examples it gave.</summary>
public sealed record DataFile(string Split, string Path, int Examples);

/// <summary>A section of the run report: report.md gets "## Title" and Markdown, report.json gets Json under stages.Key.</summary>
public sealed record ReportSection(string Key, string Title, string Markdown, System.Text.Json.Nodes.JsonNode Json);

/// <summary>A named reference result shown beside the model's, e.g. "majority class" or "random init".</summary>
public sealed record Baseline(string Name, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// Everything a finished run's report shows. Plain data: the CLI fills it from the recipe, the trainer's
/// <see cref="TrainResult"/>, the task's evaluations and <see cref="RunPlots"/>; <see cref="RunReport"/> writes it.
/// </summary>
public sealed record RunSummary
{
    /// <summary>The task's name, e.g. "sequence-classification".</summary>
    public required string Task { get; init; }

    /// <summary>The recipe file or name the run came from, when there was one.</summary>
    public string? Recipe { get; init; }

    /// <summary>The base model folder.</summary>
    public required string Model { get; init; }

    /// <summary>Full fine-tuning or an adapter, with parameter counts.</summary>
    public required TrainingMethod Method { get; init; }

    /// <summary>Data files by split, with example counts.</summary>
    public IReadOnlyList<DataFile> Data { get; init; } = [];

    /// <summary>Training options as used (after defaults and overrides), in the order to show them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];

    /// <summary>What the trainer reported: steps, skipped steps, best metric and step, early stopping.</summary>
    public required TrainResult Result { get; init; }

    /// <summary>The metric that chose the best checkpoint, e.g. "macro_f1".</summary>
    public string? BestMetricName { get; init; }

    /// <summary>Wall-clock time of the training loop.</summary>
    public TimeSpan WallTime { get; init; }

    /// <summary>Average training throughput in tokens per second.</summary>
    public double TokensPerSecond { get; init; }

    /// <summary>The final evaluation on the validation split (of the model that was kept), if the run had one.</summary>
    public EvalResult? Validation { get; init; }

    /// <summary>The evaluation on the test split, if the run had one.</summary>
    public EvalResult? Test { get; init; }

    /// <summary>Stages that ran before training (e.g. domain adaptation), each a Markdown section and a report.json entry.</summary>
    public IReadOnlyList<ReportSection> Stages { get; init; } = [];

    /// <summary>Reference results shown as extra columns of the results table.</summary>
    public IReadOnlyList<Baseline> Baselines { get; init; } = [];

    /// <summary>The charts written beside the report (names relative to the report's folder), if any.</summary>
    public PlotFiles? Plots { get; init; }

    /// <summary>Versions and machine, so that a reader knows where the numbers come from.</summary>
    public required Provenance Provenance { get; init; }
}
