using TuneSharp.Evaluation;
using TuneSharp.Tasks;

namespace TuneSharp.Cards;

/// <summary>An evaluation's metrics as lineage rows; accuracy and macro-F1 get bootstrap intervals when the task kept its predictions.</summary>
public static class LineageMetrics
{
    public static IEnumerable<LineageMetric> From(string split, EvalResult? result)
    {
        if (result is null) yield break;
        var intervals = result.Predictions is { } p ? BootstrapInterval.Classification(p.Truth, p.Predicted, p.Labels) : null;
        foreach (var (name, value) in result.Metrics.Where(m => !m.Key.Contains('/', StringComparison.Ordinal))) // per-class rows stay in report.md
        {
            var ci = name switch { "accuracy" => intervals?.Accuracy, "macro_f1" => intervals?.MacroF1, _ => null };
            yield return new LineageMetric(split, name, value, ci?.Low, ci?.High);
        }
    }
}
