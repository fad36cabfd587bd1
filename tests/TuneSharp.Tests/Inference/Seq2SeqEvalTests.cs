using System.Text.Json.Nodes;
using TuneSharp.Recipes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Inference;

public sealed class Seq2SeqEvalTests : IDisposable
{
    readonly InferenceKit kit = new();

    public void Dispose() => kit.Dispose();

    [Fact]
    public void Eval_of_a_seq2seq_model_prints_the_tasks_generation_metrics_and_signatures()
    {
        var dir = Directory.CreateDirectory(kit.Path("recipes/seq2seq")).FullName;
        var recipe = Path.Combine(dir, "tunesharp-base_full_cpu.yaml");
        File.Copy(Path.Combine(Fixtures.RepoRoot, "recipes", "seq2seq", "tunesharp-base_full_cpu.yaml"), recipe);
        string[] words = ["cat", "dog", "tree", "house", "river", "stone"];
        var data = kit.Jsonl("g2p.jsonl", words.Select(w => new JsonObject { ["prompt"] = w, ["completion"] = string.Join(" ", w.ToUpperInvariant().ToCharArray()) }.ToJsonString()).ToArray());
        var model = Directory.CreateDirectory(kit.Path("run/model")).FullName;   // a "trained" model: the fixture, copied
        foreach (var f in Directory.GetFiles(TaskTestKit.Llama)) File.Copy(f, Path.Combine(model, Path.GetFileName(f)));
        string[] overrides = [$"model={TaskTestKit.Llama}", $"output_dir={kit.Path("run")}", $"data.train={data}", $"data.validation={data}",
            $"data.test={data}", "data.max_eval_generations=3", "evaluation.eval_batch_size=4", "device=cpu"];

        var r = InferenceKit.Eval([recipe, .. overrides, "--split", "test", "--json"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var printed = (JsonObject)JsonNode.Parse(r.Stdout)!;
        EvalResult expected;
        using (var task = RecipeTask.Build(RecipeLoader.Load(recipe, [.. overrides, $"model={model}"]), "cpu"))
            expected = task.Evaluate(Split.Test, 4, CPU);
        var metrics = (JsonObject)printed["metrics"]!;
        foreach (var name in new[] { "loss", "perplexity", "exact_match", "bleu", "chrf", "rougeL", "generated" })
            Assert.Equal(expected[name], (double)metrics[name]!, 9);
        Assert.Equal(expected.Settings, (string)printed["settings"]!);
        Assert.Contains("BLEU", expected.Settings, StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(kit.Path("run/eval-test.md")));
        Assert.Contains(expected.Settings, File.ReadAllText(kit.Path("run/eval-test.md")), StringComparison.Ordinal);
    }
}
