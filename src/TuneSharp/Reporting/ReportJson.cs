using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.Tasks;

namespace TuneSharp.Reporting;

/// <summary>Renders report.json: the same facts as report.md, with snake_case keys and numbers unrounded.</summary>
static class ReportJson
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Render(RunSummary s)
    {
        var r = s.Result;
        var table = ResultsTable.From(s);
        var root = new JsonObject
        {
            ["task"] = s.Task,
            ["recipe"] = s.Recipe,
            ["model"] = s.Model,
            ["method"] = new JsonObject
            {
                ["name"] = s.Method.Name,
                ["details"] = s.Method.Details,
                ["trainable_parameters"] = s.Method.TrainableParameters,
                ["total_parameters"] = s.Method.TotalParameters,
                ["trainable_percent"] = Number(s.Method.TrainablePercent),
            },
            ["data"] = new JsonArray(s.Data.Select(d => (JsonNode)new JsonObject
            {
                ["split"] = d.Split, ["path"] = d.Path, ["examples"] = d.Examples,
            }).ToArray()),
            ["options"] = Options(s.Options),
            ["steps"] = r.Steps,
            ["skipped_steps"] = r.SkippedSteps,
            ["best_metric_name"] = s.BestMetricName,
            ["best_metric"] = Number(r.BestMetric),
            ["best_step"] = r.BestStep,
            ["stopped_early"] = r.StoppedEarly,
            ["wall_time_s"] = Number(Math.Round(s.WallTime.TotalSeconds, 3)),
            ["tokens_per_s"] = Number(s.TokensPerSecond),
            ["results"] = Results(table),
            ["validation"] = Eval(s.Validation),
            ["test"] = Eval(s.Test),
            ["stages"] = new JsonObject(s.Stages.Select(st => new KeyValuePair<string, JsonNode?>(st.Key, st.Json.DeepClone()))),
            ["baselines"] = new JsonArray(s.Baselines.Select(b => (JsonNode)new JsonObject
            {
                ["name"] = b.Name, ["metrics"] = Metrics(b.Metrics),
            }).ToArray()),
            ["plots"] = new JsonObject
            {
                ["loss"] = s.Plots?.Loss, ["metrics"] = s.Plots?.Metrics, ["learning_rate"] = s.Plots?.LearningRate,
            },
            ["provenance"] = new JsonObject
            {
                ["tunesharp_version"] = s.Provenance.TuneSharpVersion,
                ["torchsharp_version"] = s.Provenance.TorchSharpVersion,
                ["libtorch_version"] = s.Provenance.LibTorchVersion,
                ["os"] = s.Provenance.OperatingSystem,
                ["cores"] = s.Provenance.Cores,
                ["device"] = s.Provenance.Device,
                ["date"] = s.Provenance.Date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
        };
        return root.ToJsonString(Indented) + "\n";
    }

    // Metric names and baseline names are data, not keys of this schema: they are kept exactly as given.
    static JsonObject Results(ResultsTable table)
    {
        var results = new JsonObject();
        foreach (var metric in table.Metrics)
        {
            var row = new JsonObject();
            for (int c = 0; c < table.Columns.Count; c++) row[table.Columns[c]] = Number(table.Value(metric, c));
            results[metric] = row;
        }
        return results;
    }

    static JsonObject? Eval(EvalResult? result) => result is null ? null : new JsonObject
    {
        ["metrics"] = Metrics(result.Metrics),
        ["settings"] = result.Settings,
        ["report_markdown"] = result.ReportMarkdown,
    };

    static JsonObject Metrics(IReadOnlyDictionary<string, double> metrics)
    {
        var o = new JsonObject();
        foreach (var (k, v) in metrics) o[k] = Number(v);
        return o;
    }

    static JsonObject Options(IReadOnlyList<KeyValuePair<string, string>> options)
    {
        var o = new JsonObject();
        foreach (var (k, v) in options) o[k] = v;
        return o;
    }

    // JSON has no NaN or infinity: such a value is written as null rather than failing the whole report.
    static JsonNode? Number(double? value) => value is double d && double.IsFinite(d) ? JsonValue.Create(d) : null;
}
