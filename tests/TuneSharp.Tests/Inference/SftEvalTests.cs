using System.Text.Json.Nodes;
using TuneSharp.Recipes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;

namespace TuneSharp.Tests.Inference;

/// <summary>eval on an SFT recipe generates from each prompt and scores the generations against the references.</summary>
public sealed class SftEvalTests : IDisposable
{
    readonly InferenceKit kit = new();

    public void Dispose() => kit.Dispose();

    (string Recipe, string[] Overrides) Setup()
    {
        var dir = Directory.CreateDirectory(kit.Path("recipes/causal-lm-sft")).FullName;
        var recipe = Path.Combine(dir, "tunesharp-base_full_cpu.yaml");
        File.Copy(Path.Combine(Fixtures.RepoRoot, "recipes", "causal-lm-sft", "tunesharp-base_full_cpu.yaml"), recipe);
        string[] words = ["cat", "dog", "tree", "house", "river"];
        var chats = words.Select(w => new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = $"Spell {w}." },
                new JsonObject { ["role"] = "assistant", ["content"] = string.Join(" ", w.ToUpperInvariant().ToCharArray()) }),
        }.ToJsonString()).ToArray();
        var data = kit.Jsonl("chat.jsonl", chats);
        var model = Directory.CreateDirectory(kit.Path("run/model")).FullName;   // a "trained" model: the fixture, copied
        foreach (var f in Directory.GetFiles(TaskTestKit.Llama)) File.Copy(f, Path.Combine(model, Path.GetFileName(f)));
        return (recipe, [$"model={TaskTestKit.Llama}", $"output_dir={kit.Path("run")}", $"data.train={data}", $"data.validation={data}",
            $"data.test={data}", "data.max_eval_generations=4", "generation.max_new_tokens=6", "device=cpu"]);
    }

    [Fact]
    public void Eval_generates_the_last_assistant_turn_scores_it_and_writes_each_generation()
    {
        var (recipe, overrides) = Setup();
        var r = InferenceKit.Eval([recipe, .. overrides, "--split", "test", "--json"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var metrics = (JsonObject)JsonNode.Parse(r.Stdout)!["metrics"]!;
        Assert.Equal(4, (double)metrics["generated"]!);

        var lines = InferenceKit.ReadJsonl(kit.Path("run/eval-test-generations.jsonl"));
        Assert.Equal(4, lines.Count);
        Assert.Equal("C A T", (string)lines[0]["reference"]!);
        Assert.EndsWith("<|im_start|>assistant\n", (string)lines[0]["prompt"]!, StringComparison.Ordinal);
        Assert.Contains("Spell cat.", (string)lines[0]["prompt"]!, StringComparison.Ordinal);
        // The printed metrics are those of the written generations.
        var recomputed = new Dictionary<string, double>();
        GenerationMetrics.Score(lines.Select(l => (string)l["generated"]!).ToList(), lines.Select(l => (string)l["reference"]!).ToList(), recomputed, new());
        foreach (var name in new[] { "exact_match", "bleu", "chrf", "rougeL" })
            Assert.Equal(recomputed[name], (double)metrics[name]!, 9);
        Assert.Contains("greedy|max_new_tokens:6", (string)JsonNode.Parse(r.Stdout)!["settings"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Sampled_evaluation_is_reproducible_under_its_seed()
    {
        var (recipe, overrides) = Setup();
        string[] sampled = [.. overrides, "generation.do_sample=true", "generation.temperature=1.5", "generation.seed=3"];
        List<string> Generated()
        {
            Assert.Equal(0, InferenceKit.Eval([recipe, .. sampled, "--split", "test"]).ExitCode);
            return InferenceKit.ReadJsonl(kit.Path("run/eval-test-generations.jsonl")).Select(l => (string)l["generated"]!).ToList();
        }
        Assert.Equal(Generated(), Generated());
    }

    [Fact]
    public void A_sampling_key_without_do_sample_is_one_error_naming_it()
    {
        var (recipe, overrides) = Setup();
        var r = InferenceKit.Eval([recipe, .. overrides, "generation.temperature=0.7"]);
        InferenceKit.AssertOneLineError(r, "generation.temperature", "do_sample");
    }
}
