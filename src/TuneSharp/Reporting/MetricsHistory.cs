using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Reporting;

/// <summary>One logged optimizer step: training loss and the learning rate it was taken with.</summary>
public sealed record TrainPoint(int Step, double Epoch, double Loss, double? LearningRate);

/// <summary>One evaluation pass: its step and every numeric metric it logged (loss included).</summary>
public sealed record EvalPoint(int Step, double Epoch, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// The curves of a run as read back from metrics.jsonl: training steps, skipped (non-finite) steps and
/// validation passes. Reading is lenient because the plots are drawn from a log that a killed run may
/// have left with a torn last line.
/// </summary>
public sealed class MetricsHistory
{
    // Bookkeeping fields of a log line, never drawn as metrics.
    static readonly HashSet<string> NonMetricKeys = new(StringComparer.Ordinal) { "split", "step", "epoch", "event" };

    /// <summary>Training steps that were applied, in log order.</summary>
    public IReadOnlyList<TrainPoint> Train { get; }

    /// <summary>Steps whose update was skipped because the loss or gradient was not finite.</summary>
    public IReadOnlyList<int> SkippedSteps { get; }

    /// <summary>Validation passes, in log order.</summary>
    public IReadOnlyList<EvalPoint> Validation { get; }

    /// <summary>Lines that were not a JSON object (a torn last line, typically) and were left out.</summary>
    public int UnreadableLines { get; }

    MetricsHistory(List<TrainPoint> train, List<int> skipped, List<EvalPoint> validation, int unreadable)
    {
        Train = train;
        SkippedSteps = skipped;
        Validation = validation;
        UnreadableLines = unreadable;
    }

    /// <summary>Metric names logged by the validation passes, other than loss, in first-seen order.</summary>
    public IReadOnlyList<string> ValidationMetricNames =>
        Validation.SelectMany(p => p.Metrics.Keys).Where(k => k != "loss").Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Reads a metrics.jsonl file; a missing file is a <see cref="UserError"/>.</summary>
    public static MetricsHistory Read(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: metrics log not found");
        return Parse(File.ReadLines(path));
    }

    /// <summary>Parses metrics.jsonl lines; blank and unreadable lines are skipped and counted.</summary>
    public static MetricsHistory Parse(IEnumerable<string> lines)
    {
        var train = new List<TrainPoint>();
        var skipped = new List<int>();
        var validation = new List<EvalPoint>();
        int unreadable = 0;
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonObject? o;
            try { o = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException) { o = null; }
            if (o is null || Number(o["step"]) is not double stepValue) { unreadable++; continue; }
            int step = (int)stepValue;
            double epoch = Number(o["epoch"]) ?? double.NaN;
            switch (Text(o["split"]))
            {
                case "train" when o["event"] is not null:
                    if (Text(o["event"]) == "non_finite_skipped") skipped.Add(step);
                    break;
                case "train":
                    if (Number(o["loss"]) is double loss) train.Add(new TrainPoint(step, epoch, loss, Number(o["lr"])));
                    break;
                case "validation":
                    var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
                    foreach (var (key, node) in o)
                        if (!NonMetricKeys.Contains(key) && Number(node) is double v) metrics[key] = v;
                    validation.Add(new EvalPoint(step, epoch, metrics));
                    break;
            }
        }
        return new MetricsHistory(train, skipped, validation, unreadable);
    }

    static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    // A finite JSON number, else null: the trainer logs non-finite values as null, and strings are not metrics.
    static double? Number(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return null;
        double d = v.GetValue<double>();
        return double.IsFinite(d) ? d : null;
    }
}
