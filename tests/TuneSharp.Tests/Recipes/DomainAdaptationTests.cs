using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Recipes;
using TuneSharp.Tests.Tasks;

namespace TuneSharp.Tests.Recipes;

/// <summary>The domain_adaptation: recipe section: stage 1 then the task, the before/after report, replay, and the key errors.</summary>
[Collection(SequentialCollection.Name)]
public sealed class DomainAdaptationTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-dapt-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    static void Lines(string path, IEnumerable<DataRecord> records) =>
        File.WriteAllLines(path, records.Select(r => r.Fields.ToJsonString()));

    // Labelled keyword sentiment for the task; unlabelled "reviews" as the domain, other sentences as general text.
    string WriteRecipe(string model, string adaptation)
    {
        Lines(Path.Combine(root, "train.jsonl"), TaskTestKit.KeywordSentiment(40, 1));
        Lines(Path.Combine(root, "test.jsonl"), TaskTestKit.KeywordSentiment(20, 3));
        Lines(Path.Combine(root, "domain.jsonl"), TaskTestKit.KeywordSentiment(150, 4));
        var rng = new Random(5);
        string[] words = ["ships", "sail", "north", "under", "grey", "skies", "while", "gulls", "cry", "above", "harbours"];
        Lines(Path.Combine(root, "general.jsonl"), Enumerable.Range(0, 100).Select(i => TaskTestKit.Record(new JsonObject
        {
            ["text"] = string.Join(" ", Enumerable.Range(0, 6 + rng.Next(4)).Select(_ => words[rng.Next(words.Length)])),
        }, i + 1)));
        var path = Path.Combine(root, "recipe.yaml");
        File.WriteAllText(path, $$"""
            model: {{model}}
            task: sequence-classification
            seed: 3
            device: cpu
            output_dir: run
            data: {train: train.jsonl, test: test.jsonl, labels: [neg, pos], max_length: 32, new_special_tokens: ["[MASK]"]}
            method: {type: full, pooling: mean}
            training: {epochs: 1, batch_size: 8, learning_rate: 1.0e-3, save_strategy: "no"}
            evaluation: {eval_strategy: "no"}
            domain_adaptation: {{adaptation}}
            """);
        return path;
    }

    [Fact]
    public void Stage_one_adapts_the_encoder_reports_both_losses_and_the_task_trains_from_it()
    {
        var recipe = RecipeLoader.Load(WriteRecipe(TaskTestKit.Bert,
            "{corpus: domain.jsonl, general_corpus: general.jsonl, eval_examples: 30, replay_ratio: 0.25, epochs: 2, learning_rate: 2.0e-3}"));
        var outcome = RecipeRunner.Run(recipe);

        var stage = outcome.DomainAdaptation!;
        Assert.Equal(Path.Combine(outcome.RunDir, DomainAdaptation.Folder, "model"), stage.ModelDir);
        var r = stage.Report.Json;
        Assert.Equal("masked-lm", (string)r["objective"]!);
        Assert.Equal(40, (int)r["replay_rows"]!); // 0.25 / 0.75 × 120 in-domain rows
        Assert.Equal(160, (int)r["train_rows"]!);
        double before = (double)r["domain"]!["loss_before"]!, after = (double)r["domain"]!["loss_after"]!;
        Assert.True(after < before, $"in-domain MLM loss {before:F3} -> {after:F3}");
        Assert.NotNull(r["general"]!["loss_after"]);

        // The report carries the stage; the task's model came from the adapted folder (its saved tokenizer has [MASK]).
        var md = File.ReadAllText(Path.Combine(outcome.RunDir, "report.md"));
        Assert.Contains("## Domain adaptation (stage 1)", md, StringComparison.Ordinal);
        Assert.Contains("| general (forgetting) |", md, StringComparison.Ordinal);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outcome.RunDir, "report.json")))!;
        Assert.Equal(after, (double)json["stages"]!["domain_adaptation"]!["domain"]!["loss_after"]!);
        Assert.NotNull(outcome.Test);
    }

    [Fact]
    public void A_decoder_continues_pretraining_with_causal_lm_and_classifies_from_the_adapted_folder()
    {
        var recipe = RecipeLoader.Load(WriteRecipe(TaskTestKit.Llama,
            "{corpus: domain.jsonl, general_corpus: general.jsonl, eval_examples: 30, epochs: 1, learning_rate: 1.0e-3}"));
        var outcome = RecipeRunner.Run(recipe);
        var r = outcome.DomainAdaptation!.Report.Json;
        Assert.Equal("causal-lm", (string)r["objective"]!);
        Assert.Equal(0, (int)r["replay_rows"]!);
        Assert.True((double)r["domain"]!["loss_after"]! < (double)r["domain"]!["loss_before"]!);
        Assert.True(File.Exists(Path.Combine(outcome.DomainAdaptation.ModelDir, "model.safetensors")));
        Assert.NotNull(outcome.Test);
    }

    [Fact]
    public void Task_masked_lm_runs_alone_from_a_recipe()
    {
        WriteRecipe(TaskTestKit.Bert, "{corpus: domain.jsonl}"); // writes the data files
        var path = Path.Combine(root, "mlm.yaml");
        File.WriteAllText(path, $$"""
            model: {{TaskTestKit.Bert}}
            task: masked-lm
            seed: 1
            device: cpu
            output_dir: mlm-run
            data: {train: domain.jsonl, validation: general.jsonl, max_length: 32, mlm_probability: 0.2, new_special_tokens: ["[MASK]"]}
            training: {epochs: 1, batch_size: 16, learning_rate: 1.0e-3, save_strategy: "no"}
            """);
        var outcome = RecipeRunner.Run(RecipeLoader.Load(path));
        Assert.True(outcome.Validation!["loss"] > 0);
        Assert.Contains("masking:0.2", outcome.Validation.Settings, StringComparison.Ordinal);
        Assert.Contains("\"BertForMaskedLM\"", File.ReadAllText(Path.Combine(outcome.ModelDir, "config.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{general_corpus: general.jsonl}", "domain_adaptation.corpus' is required")]
    [InlineData("{corpus: domain.jsonl, replay_ratio: 0.2}", "domain_adaptation.replay_ratio': replay needs general text")]
    [InlineData("{corpus: domain.jsonl, replay_ratio: 1.0, general_corpus: general.jsonl}", "domain_adaptation.replay_ratio': must be in [0, 1)")]
    [InlineData("{corpus: domain.jsonl, objective: causal-lm}", "domain_adaptation.objective': causal-lm needs a decoder")]
    [InlineData("{corpus: domain.jsonl, objective: mlm}", "domain_adaptation.objective': 'mlm' is not auto")]
    [InlineData("{corpus: domain.jsonl, mlm_probability: 1.5}", "domain_adaptation.mlm_probability': must be between 0 and 1")]
    [InlineData("{corpus: missing.jsonl}", "domain_adaptation.corpus'")]
    public void A_missing_or_contradictory_key_is_one_error_naming_it(string section, string expected)
    {
        var recipe = RecipeLoader.Load(WriteRecipe(TaskTestKit.Bert, section));
        var e = Assert.Throws<UserError>(() => DomainAdaptationSettings.From(recipe));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Masking_keys_on_a_decoder_and_unknown_keys_are_errors()
    {
        var recipe = RecipeLoader.Load(WriteRecipe(TaskTestKit.Llama, "{corpus: domain.jsonl, mlm_probability: 0.2}"));
        Assert.Equal("causal-lm", DomainAdaptationSettings.From(RecipeLoader.Load(WriteRecipe(TaskTestKit.Llama, "{corpus: domain.jsonl}")))!.Objective);
        var e = Assert.Throws<UserError>(() => DomainAdaptationSettings.From(recipe));
        Assert.Contains("domain_adaptation.mlm_probability': only the masked-lm objective", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<UserError>(() => RecipeLoader.Load(WriteRecipe(TaskTestKit.Bert, "{corpus: domain.jsonl, replay_ration: 0.1}")));
        Assert.Contains("unknown key 'domain_adaptation.replay_ration' (did you mean 'domain_adaptation.replay_ratio'?)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_draws_the_ratio_of_general_rows_by_a_seeded_shuffle()
    {
        var general = Enumerable.Range(0, 10).Select(i => TaskTestKit.Record(new JsonObject { ["text"] = $"g{i}" }, i + 1)).ToList();
        Assert.Empty(DomainAdaptation.Replay(general, 100, 0, 1));
        var a = DomainAdaptation.Replay(general, 30, 0.5, 1);
        Assert.Equal(30, a.Count); // cycles through the 10 general rows
        Assert.Equal(10, a.Distinct().Count());
        Assert.Equal(a, DomainAdaptation.Replay(general, 30, 0.5, 1));
        Assert.NotEqual(a.Take(10), DomainAdaptation.Replay(general, 30, 0.5, 2).Take(10));
    }
}
