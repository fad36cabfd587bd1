using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.FewShot;
using TuneSharp.Recipes;
using TuneSharp.Tests.Cli;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tests.Training;

namespace TuneSharp.Tests.FewShot;

/// <summary>A whole curve on tiny-bert-cls and keyword-sentiment files: every method, two k, two seeds.</summary>
public sealed class FewShotCurveTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-fewshot-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void The_curve_writes_a_table_json_and_plot_with_a_row_per_method_k_and_seed()
    {
        var recipe = RecipeLoader.Load(FrozenFeaturesTests.WriteRecipe(root, TinyEncoder.Write(root), "full"));
        var outDir = Path.Combine(root, "curve");
        var options = new FewShotOptions(["zero-shot", "frozen", "setfit", "finetune", "prompting"], [1, 2], [1, 2],
            SetFit: new SetFitOptions(num_iterations: 1, batch_size: 4), FinetuneMinSteps: 2, PromptingModel: TaskTestKit.Llama);
        var runs = FewShotCurve.Run(recipe, options, outDir);

        // zero-shot once, prompting once with no shots; then 2 k × 2 seeds for each of the four k-shot methods.
        Assert.Equal(2 + 4 * 4, runs.Count);
        Assert.All(runs, r => Assert.InRange(r.Accuracy, 0, 1));
        Assert.All(runs.Where(r => r.K > 0), r => Assert.Equal(2 * r.K, r.TrainExamples));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, FewShotReport.JsonFile)))!;
        var cells = json["cells"]!.AsArray();
        Assert.Equal(2 + 4 * 2, cells.Count);
        Assert.All(cells.Where(c => c!["k"]!.GetValue<int>() > 0), c => Assert.Equal(2, c!["seeds"]!.GetValue<int>()));
        Assert.Equal(30, json["test_examples"]!.GetValue<int>());
        var table = File.ReadAllText(Path.Combine(outDir, FewShotReport.MarkdownFile));
        foreach (var method in new[] { "zero-shot", "frozen", "setfit", "finetune", "prompting" })
            Assert.Contains($"| {method} |", table);
        Assert.Contains("| k=1 | k=2 |", table);
        Assert.Contains(" ± ", table);
        var png = File.ReadAllBytes(Path.Combine(outDir, FewShotReport.PlotFile));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(runs.Count, File.ReadAllLines(Path.Combine(outDir, "runs.jsonl")).Length);
    }

    [Fact]
    public void Curves_run_as_separate_jobs_merge_into_one_table_and_plot()
    {
        var recipe = RecipeLoader.Load(FrozenFeaturesTests.WriteRecipe(root, TinyEncoder.Write(root), "full"));
        string a = Path.Combine(root, "a"), b = Path.Combine(root, "b"), merged = Path.Combine(root, "merged");
        var first = FewShotCurve.Run(recipe, new FewShotOptions(["zero-shot", "frozen"], [1], [1, 2]), a);
        var second = FewShotCurve.Run(recipe, new FewShotOptions(["frozen"], [2], [1, 2]), b);

        var runs = FewShotMerge.Run(recipe, 0, [a, b], merged);
        Assert.Equal(first.Concat(second).ToList(), runs);
        var table = File.ReadAllText(Path.Combine(merged, FewShotReport.MarkdownFile));
        Assert.Contains("| method | 0 | k=1 | k=2 |", table);
        Assert.Contains("| zero-shot |", table);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(merged, FewShotReport.JsonFile)))!;
        Assert.Equal([1, 2], json["ks"]!.AsArray().Select(k => k!.GetValue<int>()));
        Assert.True(File.Exists(Path.Combine(merged, FewShotReport.PlotFile)));

        // Another test subset, a broken line, a folder without runs: one error line each.
        Assert.Contains("scored on 30 test texts; this recipe with --test-limit 10 gives 10",
            Assert.Throws<UserError>(() => FewShotMerge.Run(recipe, 10, [a], merged)).Message);
        File.AppendAllText(Path.Combine(b, "runs.jsonl"), "{\"method\": \"frozen\"}\n");
        Assert.Contains($"{Path.Combine(b, "runs.jsonl")}:3: key 'k' is missing", Assert.Throws<UserError>(() => FewShotMerge.Run(recipe, 0, [a, b], merged)).Message);
        Assert.Contains("not found", Assert.Throws<UserError>(() => FewShotMerge.Run(recipe, 0, [Path.Combine(root, "none")], merged)).Message);
    }

    [Fact]
    public void The_mean_and_sample_std_of_a_cell_are_over_its_seeds()
    {
        var cells = FewShotReport.Cells([
            new FewShotRun("frozen", 4, 1, 8, 0.5, 0.4, 1, null),
            new FewShotRun("frozen", 4, 2, 8, 0.7, 0.6, 1, null),
            new FewShotRun("frozen", 4, 3, 8, 0.6, 0.5, 1, null)]);
        var c = Assert.Single(cells);
        Assert.Equal(0.6, c.Accuracy, 9);
        Assert.Equal(0.1, c.AccuracyStd, 9); // sample std (n − 1) of 0.5, 0.7, 0.6
    }

    [Theory]
    [InlineData("--methods", "frozen,magic", "unknown method 'magic'")]
    [InlineData("--k", "1,zero", "--k: expected an integer")]
    [InlineData("--k", "0", "--k: must be >= 1")]
    [InlineData("--max-pairs", "-3", "--max-pairs: must be >= 1")]
    [InlineData("--setfit-learning-rate", "fast", "--setfit-learning-rate: expected a positive number")]
    public void Bad_options_are_one_error_line(string option, string value, string message)
    {
        var recipe = FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, "full");
        var result = CliHarness.Run(FewShotCommand.Create(), "fewshot", recipe, option, value, "--output", Path.Combine(root, "out"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void A_descriptions_file_that_is_not_a_label_map_is_an_error_naming_it()
    {
        var recipe = FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, "full");
        var file = Path.Combine(root, "descriptions.json");
        File.WriteAllText(file, "[1, 2]");
        var result = CliHarness.Run(FewShotCommand.Create(), "fewshot", recipe, "--label-descriptions", file, "--methods", "zero-shot");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{file}: expected a JSON object", result.Stderr);
    }
}
