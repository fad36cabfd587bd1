using System.Diagnostics;
using TuneSharp.Evaluation;
using TuneSharp.Reporting;
using TuneSharp.Tasks;
using TuneSharp.Training;

namespace TuneSharp.Recipes;

/// <summary>What the quickstart measured: one row per model, and the findings read off the intervals.</summary>
public sealed record QuickstartResult(string RunDir, IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<string> Findings, int TrainExamples, int TestExamples);

/// <summary>
/// The quickstart: what does a pretrained encoder buy with a few hundred labels? recipes/quickstart.yaml fine-tunes
/// all-MiniLM-L6-v2 (imported offline from its NuGet package) on a low-label slice of the committed Brown genre
/// passages, and the same run measures, on the same ≥1,000-passage test set: LoRA, frozen features + logistic
/// regression, the same architecture from random init, and the majority class, each with bootstrap intervals.
/// Each model row is the recipe with a few overrides (<see cref="Variants"/>), so any row can be rerun alone with
/// <c>tunesharp train recipes/quickstart.yaml &lt;overrides&gt;</c>.
/// </summary>
public static class Quickstart
{
    /// <summary>A compared model: its row label, its sub-folder of the run, and its overrides of the recipe.</summary>
    public sealed record Variant(string Name, string Folder, IReadOnlyList<string> Overrides);

    /// <summary>
    /// The rows, cheapest first so the table fills early. LoRA trains 2% of the weights and needs a larger step
    /// (PEFT's examples use 10× full fine-tuning's); the random-init row is the recipe exactly, weights re-drawn.
    /// </summary>
    public static readonly IReadOnlyList<Variant> Variants =
    [
        new("MiniLM frozen + logistic regression", "frozen-features", ["method.type=frozen-features"]),
        new("MiniLM, full fine-tuning", "full", []),
        new("MiniLM, LoRA r=8", "lora", ["method.type=lora", "training.learning_rate=2e-3"]),
        new("same architecture, random init", "random-init", ["method.init=random"]),
    ];

    /// <summary>recipes/quickstart.yaml under the repository root that holds it.</summary>
    public static string FindRecipe(string startDir)
    {
        for (var dir = new DirectoryInfo(startDir); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "recipes", "quickstart.yaml");
            if (File.Exists(path)) return path;
        }
        throw new UserError($"recipes/quickstart.yaml not found above {startDir}: run the quickstart from the TuneSharp repository");
    }

    public static QuickstartResult Run(string recipePath, IReadOnlyList<string> overrides, IProgress<TrainProgress>? progress, Action<string> log)
    {
        var recipe = RecipeLoader.Load(recipePath, overrides);
        var runDir = recipe.OutputDir;
        if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true); // the quickstart always starts fresh
        Directory.CreateDirectory(runDir);

        var rows = new List<ComparisonRow>();
        var clock = Stopwatch.StartNew();
        var (majority, trainCount) = MajorityBaseline(recipe);
        var majorityRow = new ComparisonRow($"majority class ('{majority.Name}')", 0, majority.Intervals, clock.Elapsed.TotalSeconds, null);
        log($"{majorityRow.Name}: accuracy {majority.Intervals.Accuracy}, macro-F1 {majority.Intervals.MacroF1}");

        int testCount = 0;
        foreach (var v in Variants)
        {
            log($"{v.Name} ({string.Join(" ", v.Overrides.DefaultIfEmpty("recipes/quickstart.yaml as is"))})");
            clock.Restart();
            var variant = RecipeLoader.Load(recipePath, [.. overrides, .. v.Overrides, $"output_dir={Path.Combine(runDir, v.Folder)}"]);
            var outcome = RecipeRunner.Run(variant, progress: progress);
            var predictions = outcome.Test?.Predictions ?? throw new UserError($"{recipe.File}: key 'data.test' is required for the quickstart");
            testCount = predictions.Truth.Count;
            var intervals = BootstrapInterval.Classification(predictions.Truth, predictions.Predicted, predictions.Labels);
            rows.Add(new ComparisonRow(v.Name, outcome.TrainableParameters, intervals, clock.Elapsed.TotalSeconds, v.Folder));
            log($"{v.Name}: accuracy {intervals.Accuracy}, macro-F1 {intervals.MacroF1} ({clock.Elapsed.TotalSeconds:0} s)");
        }
        rows.Add(majorityRow); // last: the floor every model must clear

        var findings = Findings(rows);
        var intro = $"Recipe `{recipePath}`, model `{recipe.Model}`. {trainCount} labelled training examples (data.limit), "
            + $"{testCount} test examples. Every model row is the recipe plus the overrides in `Quickstart.Variants`; each run folder "
            + $"holds its own report.md, metrics and plots. Times measured on this machine ({Environment.ProcessorCount} logical CPUs).";
        ComparisonReport.Write(runDir, "Quickstart: Brown genre with a few hundred labels", intro, rows, findings);
        return new QuickstartResult(runDir, rows, findings, trainCount, testCount);
    }

    /// <summary>Pretrained vs random init, read off the intervals, in words.</summary>
    static IReadOnlyList<string> Findings(IReadOnlyList<ComparisonRow> rows)
    {
        var random = rows.First(r => r.RunDir == "random-init");
        var list = new List<string>();
        foreach (var r in rows.Where(r => r.RunDir is not null && r != random))
        {
            double margin = r.Intervals.Accuracy.Estimate - random.Intervals.Accuracy.Estimate;
            bool clear = ComparisonReport.ClearlyAbove(r.Intervals.Accuracy, random.Intervals.Accuracy)
                && ComparisonReport.ClearlyAbove(r.Intervals.MacroF1, random.Intervals.MacroF1);
            var verdict = clear ? "both intervals clear random init's (transfer shows)." : "the intervals overlap random init's: no clear difference.";
            list.Add(FormattableString.Invariant($"{r.Name} vs random init: accuracy {margin:+0.000;-0.000}; {verdict}"));
        }
        return list;
    }

    /// <summary>Predicts the most frequent training label (of the data.limit subset) for every test example.</summary>
    public static ((string Name, ClassificationIntervals Intervals) Majority, int TrainCount) MajorityBaseline(Recipe recipe)
    {
        var (train, _, test) = RecipeTask.Files(recipe);
        if (test is null) throw new UserError($"{recipe.File}: key 'data.test' is required for the quickstart");
        var label = RecipeTask.Options(recipe, "cpu").Fields.Label;
        string Label(Data.DataRecord r) => RecordFields.Required(r, label).ToString(); // a name or an index
        var trainLabels = RecipeTask.Records(recipe, train, isTrain: true).Select(Label).ToList();
        var majority = trainLabels.GroupBy(l => l).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var truth = RecipeTask.Records(recipe, test, isTrain: false).Select(Label).ToList();
        var labels = recipe.List(recipe.Section("data"), "labels");
        var intervals = BootstrapInterval.Classification(truth, truth.Select(_ => majority).ToList(),
            labels.Count > 0 ? labels : truth.Append(majority).Distinct().Order(StringComparer.Ordinal).ToList());
        return ((majority, intervals), trainLabels.Count);
    }
}
