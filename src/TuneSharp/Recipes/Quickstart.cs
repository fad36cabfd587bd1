using TuneSharp.Data.Readers;
using TuneSharp.Evaluation;
using TuneSharp.Reporting;
using TuneSharp.Tasks;
using TuneSharp.Training;

namespace TuneSharp.Recipes;

/// <summary>One row of the quickstart's comparison: a model and its test metrics.</summary>
public sealed record QuickstartRow(string Name, double Accuracy, double MacroF1);

/// <summary>
/// The quickstart: fine-tunes the embedded base model on the committed SpamAssassin sample and measures
/// the transfer-learning effect in the same run: the same architecture trained from random init, and the
/// majority class. Everything runs offline from files in the repository.
/// </summary>
public static class Quickstart
{
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

    public static IReadOnlyList<QuickstartRow> Run(string recipePath, IEnumerable<string> overrides, IProgress<TrainProgress>? progress, Action<string> log)
    {
        var recipe = RecipeLoader.Load(recipePath, overrides);
        if (!Directory.Exists(recipe.Model))
            throw new UserError($"{recipe.Model}: the embedded base model is missing (it is committed as models/tunesharp-base; rebuild it with `tunesharp pretrain recipes/pretrain-base.yaml`)");
        var runDir = recipe.OutputDir;
        if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true); // the quickstart always starts fresh

        var majority = MajorityBaseline(recipe);
        log($"majority class on test: accuracy {majority.Accuracy:0.0000}, macro-F1 {majority.MacroF1:0.0000}");

        log("training the same architecture from random init (baseline)");
        var random = RecipeLoader.Load(recipePath, [.. overrides, "method.init=random", $"output_dir={Path.Combine(runDir, "baseline-random-init")}"]);
        var randomOutcome = RecipeRunner.Run(random, progress: progress);
        var randomRow = Row("random init", randomOutcome.Test!);

        log("fine-tuning the pretrained base model");
        var baselines = new[]
        {
            new Baseline("majority class", new Dictionary<string, double> { ["accuracy"] = majority.Accuracy, ["macro_f1"] = majority.MacroF1 }),
            new Baseline("random init (same architecture)", randomOutcome.Test!.Metrics),
        };
        var outcome = RecipeRunner.Run(recipe, progress: progress, baselines: baselines);
        return [Row("tunesharp-base, fine-tuned", outcome.Test!), randomRow, majority];
    }

    static QuickstartRow Row(string name, EvalResult e) => new(name, e["accuracy"], e["macro_f1"]);

    /// <summary>Predicts the most frequent training label for every test example.</summary>
    public static QuickstartRow MajorityBaseline(Recipe recipe)
    {
        var (train, _, test) = RecipeTask.Files(recipe);
        var label = recipe.Get("data", "fields") is null ? "label" : (recipe.Section("data")["fields"]?["label"]?.ToString() ?? "label");
        string Label(Data.DataRecord r) => r.Fields[label]?.ToString() ?? throw new UserError($"{r.File}:{r.Line}: field '{label}' is missing");
        var majority = DataSources.Open(train).GroupBy(Label).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        if (test is null) throw new UserError($"{recipe.File}: key 'data.test' is required for the quickstart");
        var truth = DataSources.Open(test).Select(Label).ToList();
        var labels = recipe.List(recipe.Section("data"), "labels");
        var report = ClassificationMetrics.Report(truth, truth.Select(_ => majority).ToList(), labels.Count > 0 ? labels : null);
        return new QuickstartRow($"majority class ('{majority}')", report.Accuracy, report.Macro.F1);
    }
}
