using System.Text.Json.Nodes;
using TuneSharp.Recipes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Inference;

/// <summary>The spam LoRA recipe end to end on tiny-llama: train (RecipeRunner), then eval and predict on its run folder.</summary>
public sealed class RecipeRunTests : IDisposable
{
    readonly InferenceKit kit = new();

    public void Dispose() => kit.Dispose();

    static string Data(string split) => Path.Combine(Fixtures.RepoRoot, "data", "spam-assassin-sample", split + ".jsonl");

    /// <summary>The repository's recipe copied to a temp dir; overrides point it at the fixture, the sample data and a temp run folder.</summary>
    (string Recipe, string[] Overrides) SpamLora()
    {
        var dir = Directory.CreateDirectory(kit.Path("recipes/sequence-classification")).FullName;
        var recipe = Path.Combine(dir, "tunesharp-base_lora_cpu.yaml");
        File.Copy(Path.Combine(Fixtures.RepoRoot, "recipes", "sequence-classification", "tunesharp-base_lora_cpu.yaml"), recipe);
        return (recipe, [
            $"model={TaskTestKit.Llama}", $"output_dir={kit.Path("run")}", "training.max_steps=3", "training.batch_size=4",
            "evaluation.eval_steps=3", "data.max_length=64", "device=cpu",
            $"data.train={Data("train")}", $"data.validation={Data("validation")}", $"data.test={Data("test")}",
        ]);
    }

    [Fact]
    public void Spam_lora_recipe_trains_then_eval_and_predict_agree_with_the_task()
    {
        var (path, overrides) = SpamLora();
        var recipe = RecipeLoader.Load(path, overrides);
        var outcome = RecipeRunner.Run(recipe);
        var run = kit.Path("run");
        Assert.Equal(3, outcome.Result.Steps);
        Assert.True(File.Exists(Path.Combine(run, "model", "config.json")));
        Assert.True(File.Exists(Path.Combine(run, "model", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(run, "adapter", "adapter_config.json")));
        foreach (var file in new[] { "report.md", "loss.png", "metrics.jsonl", "config.yaml" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(run, "model", "config.json")))!;
        Assert.Equal(["ham", "spam"], LabelSet.FromConfig(config)!);

        // eval --json prints what the task's own Evaluate gives on the trained model (built the usual way, with its training data).
        var e = InferenceKit.Eval([path, .. overrides, "--split", "test", "--json"]);
        Assert.True(e.ExitCode == 0, e.Stderr);
        var printed = (JsonObject)JsonNode.Parse(e.Stdout)!;
        EvalResult expected;
        using (var task = RecipeTask.Build(RecipeLoader.Load(path, [.. overrides, $"model={Path.Combine(run, "model")}"]), "cpu"))
            expected = task.Evaluate(Split.Test, recipe.Training().EvalBatchSize, CPU);
        var metrics = (JsonObject)printed["metrics"]!;
        Assert.Equal(expected.Metrics.Keys.Order(StringComparer.Ordinal), metrics.Select(m => m.Key).Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected.Metrics) Assert.Equal(value, (double)metrics[name]!, 9);
        Assert.Equal(expected.Settings, (string)printed["settings"]!);
        Assert.Equal(36, (int)printed["examples"]!);
        Assert.True(File.Exists(Path.Combine(run, "eval-test.md")));
        Assert.Equal(printed.ToJsonString(), JsonNode.Parse(File.ReadAllText(Path.Combine(run, "eval-test.json")))!.ToJsonString());

        // The plain form prints the metrics and the settings line.
        var text = InferenceKit.Eval([path, .. overrides]);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("sequence-classification on validation", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("  accuracy ", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("settings: " + expected.Settings.Split('|')[0], text.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "eval-validation.json")));

        // predict RECIPE on the test emails without their labels: accuracy against the gold labels matches eval's.
        var gold = InferenceKit.ReadJsonl(Data("test"));
        var unlabeled = kit.Jsonl("emails.jsonl", gold.Select(g => new JsonObject { ["text"] = g["text"]!.DeepClone() }.ToJsonString()).ToArray());
        var output = kit.Path("predicted.jsonl");
        var p = InferenceKit.Predict([path, .. overrides, "--input", unlabeled, "--output", output, "--batch-size", "16"]);
        Assert.True(p.ExitCode == 0, p.Stderr);
        var rows = InferenceKit.ReadJsonl(output);
        Assert.Equal(gold.Count, rows.Count);
        Assert.All(rows, r => Assert.Contains((string)r["label"]!, new[] { "ham", "spam" }));
        Assert.All(rows, r => Assert.Equal(1.0, r["probabilities"]!.AsObject().Sum(x => (double)x.Value!), 5));
        double accuracy = rows.Zip(gold).Count(x => (string)x.First["label"]! == (string)x.Second["label"]!) / (double)gold.Count;
        Assert.Equal(expected["accuracy"], accuracy, 9);
    }

    [Fact]
    public void Eval_and_predict_without_a_trained_model_say_to_train_first()
    {
        var (path, overrides) = SpamLora();
        var r = InferenceKit.Eval([path, .. overrides]);
        InferenceKit.AssertOneLineError(r, Path.Combine(kit.Path("run"), "model"), "model folder not found", "train the recipe first");
        var p = InferenceKit.Predict([path, .. overrides, "--input", Data("test"), "--output", kit.Path("out.jsonl")]);
        InferenceKit.AssertOneLineError(p, Path.Combine(kit.Path("run"), "model"), "model folder not found", "train the recipe first");
    }
}
