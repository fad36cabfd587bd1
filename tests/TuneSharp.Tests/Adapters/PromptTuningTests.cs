using System.Text.Json.Nodes;
using TuneSharp.Adapters.PromptTuning;
using TuneSharp.Inference;
using TuneSharp.IO;
using TuneSharp.Models.Bert;
using TuneSharp.Recipes;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tests.Training;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Adapters;

/// <summary>Prompt tuning on the tiny BERT classifier: the forward against a hand-built equivalent, PEFT's files, reloads.</summary>
[Collection(SequentialCollection.Name)]
public sealed class PromptTuningTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-prompt-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    static LoadedClassifier Plain() => ClassifierLoader.Load(TaskTestKit.Bert);

    static BertForSequenceClassification Bert(LoadedClassifier c) => (BertForSequenceClassification)c.Model.Module;

    static (Tensor Ids, Tensor Mask) Inputs(LoadedClassifier c)
    {
        var a = c.Tokenizer.Encode("A tiny model");
        var b = c.Tokenizer.Encode("Return the number of items in a container.");
        int t = Math.Max(a.Count, b.Count);
        long[] Pad(IReadOnlyList<int> ids) => [.. ids.Select(i => (long)i), .. Enumerable.Repeat(0L, t - ids.Count)];
        long[] Mask(IReadOnlyList<int> ids) => [.. Enumerable.Repeat(1L, ids.Count), .. Enumerable.Repeat(0L, t - ids.Count)];
        return (tensor(Pad(a).Concat(Pad(b)).ToArray()).reshape(2, t), tensor(Mask(a).Concat(Mask(b)).ToArray()).reshape(2, t));
    }

    [Fact]
    public void A_text_initialised_prompt_computes_what_the_base_model_computes_on_the_text_tokens_written_in_front()
    {
        using var tuned = Plain();
        using var reference = Plain();
        var config = new PromptTuningConfig { num_virtual_tokens = 7, prompt_tuning_init = "TEXT", prompt_tuning_init_text = "classify this review" };
        var prompt = PromptTuningModel.Apply(Bert(tuned), config, tuned.Tokenizer);
        var textIds = PromptTuningModel.TextTokenIds(config, tuned.Tokenizer);
        Assert.Equal(7, textIds.Length);
        Assert.Equal(tuned.Tokenizer.Encode("classify this review")[0], textIds[0]); // with the special tokens, as PEFT tokenizes

        var (ids, mask) = Inputs(tuned);
        Bert(tuned).eval(); Bert(reference).eval();
        using var noGrad = no_grad();
        var got = Bert(tuned).Forward(ids, mask);                                                       // (2, labels)
        // By hand: the prompt's vectors are those tokens' word embeddings, at positions 0..n-1, type 0, attended.
        var prefix = tensor(textIds).unsqueeze(0).expand(2, -1);
        var expected = Bert(reference).Forward(cat([prefix, ids], 1), cat([ones(2, 7, dtype: ScalarType.Int64), mask], 1));
        Assert.True(got.allclose(expected, rtol: 1e-5, atol: 1e-6), $"max |diff| {(got - expected).abs().max().item<float>()}");
        Assert.Equal(7, prompt.Prompt.Count);

        // Mean pooling averages over the prompt too, as the extended mask says.
        var meanTuned = Bert(tuned).bert.HiddenStates(ids, mask);
        Assert.Equal([2L, 7 + ids.shape[1], 64], meanTuned.shape);
    }

    [Fact]
    public void Only_the_prompt_and_the_head_train()
    {
        using var c = Plain();
        PromptTuningModel.Apply(Bert(c), new PromptTuningConfig { num_virtual_tokens = 5 }, c.Tokenizer);
        var trainable = Bert(c).named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).Order().ToList();
        Assert.Equal(["bert.prompt_encoder.embedding.weight", "classifier.bias", "classifier.weight"], trainable);
        Assert.Equal(5 * 64 + 3 * 64 + 3, Bert(c).parameters().Where(p => p.requires_grad).Sum(p => p.numel()));
    }

    [Fact]
    public void The_adapter_saves_in_peft_format_and_reloads_with_identical_logits()
    {
        using var c = Plain();
        var tuned = PromptTuningModel.Apply(Bert(c), new PromptTuningConfig { num_virtual_tokens = 4, prompt_tuning_init = "SAMPLE_VOCAB" }, c.Tokenizer);
        using (no_grad())
        {
            tuned.Prompt.Vectors.add_(randn_like(tuned.Prompt.Vectors) * 0.1);
            Bert(c).classifier.parameters().First().add_(0.5);
        }
        var dir = Path.Combine(root, "adapter");
        tuned.Save(dir);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "adapter_config.json")))!;
        Assert.Equal("PROMPT_TUNING", (string)json["peft_type"]!);
        Assert.Equal("SEQ_CLS", (string)json["task_type"]!);
        Assert.Equal(4, (int)json["num_virtual_tokens"]!);
        Assert.Equal(64, (int)json["token_dim"]!);
        Assert.True((bool)json["inference_mode"]!);
        using (var file = SafetensorsFile.Open(Path.Combine(dir, "adapter_model.safetensors")))
        {
            Assert.Equal(["base_model.classifier.bias", "base_model.classifier.weight", "prompt_embeddings"], file.Tensors.Select(t => t.Name).Order().ToArray());
            Assert.Equal([4L, 64], file["prompt_embeddings"].Shape);
        }

        using var fresh = Plain();
        var loaded = PromptTuningModel.Load(Bert(fresh), dir);
        Assert.All(Bert(fresh).parameters(), p => Assert.False(p.requires_grad));
        var (ids, mask) = Inputs(c);
        Bert(c).eval(); Bert(fresh).eval();
        using var noGrad = no_grad();
        Assert.True(Bert(c).Forward(ids, mask).eq(Bert(fresh).Forward(ids, mask)).all().item<bool>());
        Assert.Equal(4, loaded.Config.num_virtual_tokens);
    }

    [Fact]
    public void Bad_configs_and_mismatched_adapters_are_one_line_errors()
    {
        using var c = Plain();
        var text = Assert.Throws<UserError>(() => PromptTuningModel.Apply(Bert(c), new PromptTuningConfig { prompt_tuning_init = "TEXT" }, c.Tokenizer));
        Assert.Contains("prompt_tuning_init_text", text.Message);
        Assert.Contains("num_virtual_tokens", Assert.Throws<UserError>(() => PromptTuningModel.Apply(Bert(c), new PromptTuningConfig { num_virtual_tokens = 0 }, c.Tokenizer)).Message);
        Assert.Contains("'RANDOMISH'", Assert.Throws<UserError>(() => PromptTuningModel.Apply(Bert(c), new PromptTuningConfig { prompt_tuning_init = "RANDOMISH" }, c.Tokenizer)).Message);

        var dir = Path.Combine(root, "bad");
        PromptTuningModel.Apply(Bert(c), new PromptTuningConfig { num_virtual_tokens = 3 }, c.Tokenizer).Save(dir);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "adapter_config.json")))!.AsObject();
        config["num_virtual_tokens"] = 5;
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), config.ToJsonString());
        using var other = Plain();
        var shape = Assert.Throws<UserError>(() => PromptTuningModel.Load(Bert(other), dir));
        Assert.Contains("'prompt_embeddings' has shape [3, 64]", shape.Message);
        config["peft_type"] = "LORA";
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), config.ToJsonString());
        Assert.Contains("PROMPT_TUNING", Assert.Throws<UserError>(() => PromptTuningModel.Load(Bert(other), dir)).Message);
    }

    [Fact]
    public void A_recipe_trains_the_prompt_and_the_run_folders_model_and_adapter_give_the_same_logits()
    {
        var recipe = RecipeLoader.Load(FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, "prompt-tuning"),
            ["method.prompt_tuning.num_virtual_tokens=6", "method.prompt_tuning.prompt_tuning_init=TEXT",
             "method.prompt_tuning.prompt_tuning_init_text=is this positive", "training.learning_rate=0.03", "training.epochs=2"]);
        var outcome = RecipeRunner.Run(recipe);
        Assert.Equal(6 * 64 + 2 * 64 + 2, outcome.TrainableParameters);
        Assert.NotNull(outcome.AdapterDir);

        using var fromModel = ClassifierLoader.Load(outcome.ModelDir);
        // The base encoder from the fixture, the 2-label head and the prompt from the PEFT adapter.
        var bert = new BertForSequenceClassification(BertConfig.From(Pretrained(outcome.ModelDir)), pooling: "mean");
        global::TuneSharp.Models.Heads.HeadCheckpoint.Load(bert, ["classifier.weight", "classifier.bias"], TaskTestKit.Bert, loadHead: false);
        PromptTuningModel.Load(bert, outcome.AdapterDir!);
        var (ids, mask) = Inputs(fromModel);
        bert.eval();
        using var noGrad = no_grad();
        var a = Bert(fromModel).Forward(ids, mask);
        var b = bert.Forward(ids, mask);
        Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6), $"max |diff| {(a - b).abs().max().item<float>()}");
        Assert.Contains("tunesharp_prompt_tuning", File.ReadAllText(Path.Combine(outcome.ModelDir, "config.json")));

        var refused = Assert.Throws<UserError>(() => RecipeRunner.Run(RecipeLoader.Load(
            FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Llama, "prompt-tuning"), ["output_dir=decoder-run"])));
        Assert.Contains("BERT-family sequence classification", refused.Message);
    }

    static TuneSharp.Models.ConfigJson Pretrained(string dir) => TuneSharp.Models.Pretrained.Config(dir);
}
