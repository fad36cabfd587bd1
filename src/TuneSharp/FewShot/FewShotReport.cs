using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TuneSharp.IO;
using TuneSharp.Recipes;
using TuneSharp.Reporting;

namespace TuneSharp.FewShot;

/// <summary>A method at one k: the mean and sample standard deviation (n − 1) of its seeds' scores.</summary>
public sealed record FewShotCell(string Method, int K, int Seeds, double Accuracy, double AccuracyStd, double MacroF1, double MacroF1Std, double Seconds);

/// <summary>
/// The curve's files: curve.md (method × k table, mean ± std), curve.json (the same cells and every run) and
/// curve.png (accuracy against k on a log2 axis, one line per method with ±1 std error bars; methods without
/// examples are horizontal lines).
/// </summary>
public static class FewShotReport
{
    public const string MarkdownFile = "curve.md", JsonFile = "curve.json", PlotFile = "curve.png", RunsFile = "runs.jsonl";

    public static IReadOnlyList<FewShotCell> Cells(IReadOnlyList<FewShotRun> runs) =>
        runs.GroupBy(r => (r.Method, r.K)).Select(g =>
        {
            var acc = g.Select(r => r.Accuracy).ToList(); var f1 = g.Select(r => r.MacroF1).ToList();
            return new FewShotCell(g.Key.Method, g.Key.K, acc.Count, acc.Average(), Std(acc), f1.Average(), Std(f1), g.Average(r => r.Seconds));
        }).ToList();

    /// <summary>Sample standard deviation (n − 1); 0 for a single run.</summary>
    public static double Std(IReadOnlyList<double> xs)
    {
        if (xs.Count < 2) return 0;
        double m = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / (xs.Count - 1));
    }

    public static void Write(string dir, Recipe recipe, FewShotOptions options, FewShotData data, IReadOnlyList<FewShotRun> runs, IReadOnlyList<string> shortfalls)
    {
        var cells = Cells(runs);
        AtomicFile.WriteAllText(Path.Combine(dir, MarkdownFile), Markdown(recipe, options, data, cells, shortfalls));
        var json = new JsonObject
        {
            ["recipe"] = recipe.File, ["test_examples"] = data.TestTexts.Count, ["classes"] = data.Labels.Count,
            ["ks"] = new JsonArray(options.Ks.Select(k => (JsonNode)k).ToArray()), ["seeds"] = new JsonArray(options.Seeds.Select(s => (JsonNode)s).ToArray()),
            ["shortfalls"] = new JsonArray(shortfalls.Select(s => (JsonNode)s).ToArray()),
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)new JsonObject
            {
                ["method"] = c.Method, ["k"] = c.K, ["seeds"] = c.Seeds, ["accuracy"] = c.Accuracy, ["accuracy_std"] = c.AccuracyStd,
                ["macro_f1"] = c.MacroF1, ["macro_f1_std"] = c.MacroF1Std, ["seconds"] = c.Seconds,
            }).ToArray()),
            ["runs"] = new JsonArray(runs.Select(r => (JsonNode)FewShotCurve.ToJson(r)).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(dir, JsonFile), json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        FewShotPlot.Write(Path.Combine(dir, PlotFile), cells, options.Ks);
        AtomicFile.WriteAllText(Path.Combine(dir, RunsFile), string.Join("\n", runs.Select(r => FewShotCurve.ToJson(r).ToJsonString())) + "\n");
    }

    static string Markdown(Recipe recipe, FewShotOptions options, FewShotData data, IReadOnlyList<FewShotCell> cells, IReadOnlyList<string> shortfalls)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"# Few-shot learning curve: {Path.GetFileName(recipe.File)}").AppendLine();
        sb.AppendLine(ci, $"Test accuracy on {data.TestTexts.Count} test texts, {data.Labels.Count} classes; k examples per class, mean ± std (n − 1) over seeds {string.Join(", ", options.Seeds)}.");
        if (shortfalls.Count > 0) sb.AppendLine().AppendLine("Classes with fewer than k training examples (they give all they have): " + string.Join("; ", shortfalls) + ".");
        sb.AppendLine();
        var ks = options.Ks.Order().ToList();
        bool hasZero = cells.Any(c => c.K == 0);
        sb.AppendLine("| method |" + (hasZero ? " 0 |" : "") + string.Concat(ks.Select(k => $" k={k} |")));
        sb.AppendLine("|---|" + (hasZero ? "---:|" : "") + string.Concat(ks.Select(_ => "---:|")));
        foreach (var method in cells.Select(c => c.Method).Distinct())
        {
            string Cell(int k) => cells.FirstOrDefault(c => c.Method == method && c.K == k) is { } c
                ? (c.Seeds > 1 ? string.Create(ci, $"{c.Accuracy:0.000} ± {c.AccuracyStd:0.000}") : string.Create(ci, $"{c.Accuracy:0.000}")) : "–";
            sb.AppendLine($"| {method} |" + (hasZero ? $" {Cell(0)} |" : "") + string.Concat(ks.Select(k => $" {Cell(k)} |")));
        }
        sb.AppendLine().AppendLine("Macro-F1:").AppendLine();
        sb.AppendLine("| method |" + (hasZero ? " 0 |" : "") + string.Concat(ks.Select(k => $" k={k} |")));
        sb.AppendLine("|---|" + (hasZero ? "---:|" : "") + string.Concat(ks.Select(_ => "---:|")));
        foreach (var method in cells.Select(c => c.Method).Distinct())
        {
            string Cell(int k) => cells.FirstOrDefault(c => c.Method == method && c.K == k) is { } c
                ? (c.Seeds > 1 ? string.Create(ci, $"{c.MacroF1:0.000} ± {c.MacroF1Std:0.000}") : string.Create(ci, $"{c.MacroF1:0.000}")) : "–";
            sb.AppendLine($"| {method} |" + (hasZero ? $" {Cell(0)} |" : "") + string.Concat(ks.Select(k => $" {Cell(k)} |")));
        }
        return sb.ToString();
    }
}
