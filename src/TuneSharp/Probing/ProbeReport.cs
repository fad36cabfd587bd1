using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ScottPlot;
using TuneSharp.Data.Writing;
using TuneSharp.IO;
using TuneSharp.Reporting;

namespace TuneSharp.Probing;

/// <summary>
/// The files of a probing run, each written atomically: probe.md (the per-layer table and what it says), probe.json
/// (every number, for scripts) and probe.png (accuracy, control accuracy and selectivity by layer, one panel per task).
/// </summary>
public static class ProbeReport
{
    public const string MarkdownFile = "probe.md";
    public const string JsonFile = "probe.json";
    public const string ChartFile = "probe.png";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the three files into <paramref name="dir"/> (created if needed).</summary>
    public static void Write(string dir, ProbeRun run)
    {
        Directory.CreateDirectory(dir);
        ChartStyle.SaveStackedPng(run.Tasks.Select(Panel).ToList(), Path.Combine(dir, ChartFile), 1000, 450);
        AtomicFile.WriteAllText(Path.Combine(dir, JsonFile), Json(run).ToJsonString(JsonOutput.Indented) + "\n");
        AtomicFile.WriteAllText(Path.Combine(dir, MarkdownFile), Markdown(run));
    }

    /// <summary>One row per layer; per task: accuracy, control accuracy, selectivity and the chosen L2.</summary>
    public static string Table(ProbeRun run)
    {
        var md = new StringBuilder("| layer |");
        var rule = new StringBuilder("|---|");
        foreach (var t in run.Tasks)
        {
            md.Append(Inv, $" {t.Task} accuracy | {t.Task} control | {t.Task} selectivity | {t.Task} L2 |");
            rule.Append("---:|---:|---:|---:|");
        }
        md.Append('\n').Append(rule).Append('\n');
        for (int l = 0; l < run.Tasks[0].Layers.Count; l++)
        {
            md.Append("| ").Append(LayerScore.NameOf(l)).Append(" |");
            foreach (var t in run.Tasks)
            {
                var s = t.Layers[l];
                md.Append(Inv, $" {Bold(s.Accuracy, t.BestByAccuracy == s)} | {s.ControlAccuracy:0.000} | {Bold(s.Selectivity, t.BestBySelectivity == s)} | {s.L2:g} |");
            }
            md.Append('\n');
        }
        return md.ToString();
    }

    static string Bold(double value, bool best) => best ? string.Create(Inv, $"**{value:0.000}**") : value.ToString("0.000", Inv);

    static string Markdown(ProbeRun run)
    {
        var o = run.Options;
        var md = new StringBuilder($"# Probing {Path.GetFileName(run.Model.TrimEnd('/'))} layer by layer\n\n");
        md.Append(Inv, $"Model `{run.Model}`, Brown folder `{o.Data}`, seed {o.Seed}, {o.MaxLength} tokens per input. Probes: multinomial logistic regression on each layer's frozen features, L2 chosen on validation accuracy from {{{string.Join(", ", o.L2Grid.Select(x => x.ToString("g", Inv)))}}} ");
        md.Append(Inv, $"(at most {o.Solver.MaxIterations} steps per fit); ");
        md.Append("the control probe has the same L2. Accuracies are on the test split; selectivity = accuracy − control accuracy (Hewitt & Liang 2019). ");
        md.Append(Inv, $"Wall time {run.Seconds:0} s on {Environment.ProcessorCount} logical CPUs. Bold: the best layer of the column.\n\n");
        foreach (var t in run.Tasks)
            md.Append(Inv, $"- **{t.Task}** ({Describe(t.Task)}): {t.Classes} classes, {t.TrainRows:N0} / {t.ValidationRows:N0} / {t.TestRows:N0} train/validation/test {Rows(t.Task)}; majority class {t.MajorityAccuracy:0.000}; features {t.FeatureSeconds:0} s, probes {t.ProbeSeconds:0} s.\n");
        md.Append('\n').Append(Table(run)).Append('\n');
        foreach (var t in run.Tasks)
            md.Append(Inv, $"- {t.Task}: highest accuracy at {t.BestByAccuracy.Name} ({t.BestByAccuracy.Accuracy:0.000}), highest selectivity at {t.BestBySelectivity.Name} ({t.BestBySelectivity.Selectivity:0.000}).\n");
        md.Append("\n![accuracy, control accuracy and selectivity by layer](").Append(ChartFile).Append(")\n");
        return md.ToString();
    }

    static string Describe(string task) => task == ProbeTasks.Pos
        ? "Brown part of speech at each word's first sub-token; control: a random tag per word type, drawn from the tag frequencies"
        : "Brown genre from the mean of a passage's tokens; control: the labels shuffled across passages";

    static string Rows(string task) => task == ProbeTasks.Pos ? "words" : "passages";

    static JsonObject Json(ProbeRun run)
    {
        var o = run.Options;
        return new JsonObject
        {
            ["model"] = run.Model,
            ["data"] = o.Data,
            ["seed"] = o.Seed,
            ["max_length"] = o.MaxLength,
            ["l2_grid"] = new JsonArray(o.L2Grid.Select(x => (JsonNode)x).ToArray()),
            ["max_iterations"] = o.Solver.MaxIterations,
            ["tolerance"] = o.Solver.Tolerance,
            ["seconds"] = Math.Round(run.Seconds, 1),
            ["logical_cpus"] = Environment.ProcessorCount,
            ["tasks"] = new JsonArray(run.Tasks.Select(t => (JsonNode)new JsonObject
            {
                ["task"] = t.Task,
                ["classes"] = t.Classes,
                ["max_train"] = o.TrainRows(t.Task),
                ["max_eval"] = o.EvalRows(t.Task),
                ["train_rows"] = t.TrainRows,
                ["validation_rows"] = t.ValidationRows,
                ["test_rows"] = t.TestRows,
                ["majority_accuracy"] = t.MajorityAccuracy,
                ["feature_seconds"] = Math.Round(t.FeatureSeconds, 1),
                ["probe_seconds"] = Math.Round(t.ProbeSeconds, 1),
                ["layers"] = new JsonArray(t.Layers.Select(s => (JsonNode)new JsonObject
                {
                    ["layer"] = s.Layer,
                    ["name"] = s.Name,
                    ["accuracy"] = s.Accuracy,
                    ["control_accuracy"] = s.ControlAccuracy,
                    ["selectivity"] = s.Selectivity,
                    ["validation_accuracy"] = s.ValidationAccuracy,
                    ["l2"] = s.L2,
                    ["iterations"] = s.Iterations,
                }).ToArray()),
            }).ToArray()),
        };
    }

    // Accuracy, control accuracy and selectivity against the layer, with the majority class as a dashed floor.
    static Plot Panel(ProbeTaskResult t, int index)
    {
        var plot = ChartStyle.NewPlot($"{t.Task}: probe accuracy and selectivity by layer", "layer", "test accuracy / selectivity");
        double[] xs = t.Layers.Select(s => (double)s.Layer).ToArray();
        void Series(string name, Func<LayerScore, double> value, Color color)
        {
            var series = plot.Add.Scatter(xs, t.Layers.Select(value).ToArray(), color);
            series.LineWidth = 2;
            series.MarkerSize = 8;
            series.LegendText = name;
        }
        Series("accuracy", s => s.Accuracy, ChartStyle.Palette[0]);
        Series("control accuracy", s => s.ControlAccuracy, ChartStyle.Palette[7]);
        Series("selectivity", s => s.Selectivity, ChartStyle.Palette[1]);
        var floor = plot.Add.HorizontalLine(t.MajorityAccuracy, 1, ChartStyle.Palette[3].WithAlpha(0.6));
        floor.LinePattern = LinePattern.Dashed;
        floor.LegendText = "majority class";
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var s in t.Layers) ticks.AddMajor(s.Layer, s.Layer == 0 ? "emb" : s.Layer.ToString(Inv));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsY(Math.Min(0, t.Layers.Min(s => s.Selectivity)) - 0.02, 1.02);
        plot.ShowLegend(Edge.Right);   // outside the data: the curves span the whole height
        return plot;
    }
}
