using System.Text.Json.Nodes;
using TuneSharp.Adapters.PromptTuning;
using TuneSharp.Generation;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Models.Export;
using TuneSharp.Recipes;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tests.Training;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Adapters;

/// <summary>
/// Prompt tuning (PEFT's CAUSAL_LM) on the tiny Llama and GPT-2 fixtures. The reference is exact: a prompt initialised
/// from a text's tokens must compute, at every position and in every decoding path, what the base model computes with
/// those tokens written in front.
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class DecoderPromptTuningTests : IDisposable
{
    const string Text = "Answer in capitals";
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-decoder-prompt-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    public static TheoryData<string> Families => new() { "tiny-llama", "tiny-gpt2" };

    static (ICausalLM Model, HfTokenizer Tokenizer) Load(string family)
    {
        var dir = Fixtures.HfTiny(family);
        return (Pretrained.LoadCausalLM(dir), HfTokenizer.Load(dir));
    }

    static PromptTuningConfig TextInit(int n) => new() { num_virtual_tokens = n, prompt_tuning_init = "TEXT", prompt_tuning_init_text = Text };

    // Two right-padded rows (2, T) and their mask.
    static (Tensor Ids, Tensor Mask) Inputs(HfTokenizer tokenizer, long pad)
    {
        var a = tokenizer.Encode("A tiny model");
        var b = tokenizer.Encode("Return the number of items in a container.");
        int t = Math.Max(a.Count, b.Count);
        long[] Pad(IReadOnlyList<int> ids) => [.. ids.Select(i => (long)i), .. Enumerable.Repeat(pad, t - ids.Count)];
        long[] Mask(IReadOnlyList<int> ids) => [.. Enumerable.Repeat(1L, ids.Count), .. Enumerable.Repeat(0L, t - ids.Count)];
        return (tensor(Pad(a).Concat(Pad(b)).ToArray()).reshape(2, t), tensor(Mask(a).Concat(Mask(b)).ToArray()).reshape(2, t));
    }

    static void Close(Tensor expected, Tensor got)
    {
        Assert.Equal(expected.shape, got.shape);
        Assert.True(got.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max |diff| {(got - expected).abs().max().item<float>()}");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void A_text_initialised_prompt_computes_what_the_base_model_computes_on_the_text_written_in_front(string family)
    {
        var (tuned, tokenizer) = Load(family);
        var (reference, _) = Load(family);
        using var t = tuned; using var r = reference;
        var config = TextInit(6);
        var adapter = PromptTuningModel.Apply(tuned, config, tokenizer);
        var textIds = PromptTuningModel.TextTokenIds(config, tokenizer);
        Assert.Equal("CAUSAL_LM", adapter.Config.task_type);
        Assert.Equal(reference.Info.MaxPositionEmbeddings - 6, tuned.Info.MaxPositionEmbeddings);

        var (ids, mask) = Inputs(tokenizer, tuned.Info.PadTokenId ?? 0);
        using var noGrad = no_grad();
        var got = tuned.Forward(ids, mask);                                                              // (2, T, V)
        var prefix = tensor(textIds).unsqueeze(0).expand(2, -1);                                        // (2, n)
        var whole = reference.Forward(cat([prefix, ids], 1), cat([ones(2, 6, dtype: ScalarType.Int64), mask], 1)); // (2, n+T, V)
        Close(whole.narrow(1, 6, ids.shape[1]), got);
        // Explicit positions count the caller's tokens from 0, as without a prompt.
        Close(got, tuned.Forward(ids, mask, PositionIds.Default(ids, 0)));
        // No mask at all: the plain causal path.
        var unpadded = tensor(tokenizer.Encode("A tiny model").Select(i => (long)i).ToArray()).unsqueeze(0);
        Close(reference.Forward(cat([prefix[..1], unpadded], 1)).narrow(1, 6, unpadded.shape[1]), tuned.Forward(unpadded));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Greedy_decoding_with_the_prompt_in_the_cache_continues_as_the_base_model_does_after_the_text(string family)
    {
        var (tuned, tokenizer) = Load(family);
        var (reference, _) = Load(family);
        using var t = tuned; using var r = reference;
        var config = TextInit(5);
        PromptTuningModel.Apply(tuned, config, tokenizer);
        var textIds = PromptTuningModel.TextTokenIds(config, tokenizer).Select(i => (int)i).ToList();
        var options = new GenerationOptions { MaxNewTokens = 8, IgnoreEos = true };
        var prompt = tokenizer.Encode("Return the number");
        var cached = TextGenerator.Generate(tuned, prompt, options).NewIds;
        var uncached = TextGenerator.Generate(tuned, prompt, options with { UseCache = false }).NewIds;
        var expected = TextGenerator.Generate(reference, [.. textIds, .. prompt], options).NewIds;
        Assert.Equal(8, expected.Count);
        Assert.Equal(expected, cached);
        Assert.Equal(expected, uncached);

        // A batch of unequal prompts (left-padded, explicit positions) decodes each row as alone.
        var shortPrompt = tokenizer.Encode("A tiny");
        var batch = BatchGenerator.Generate(tuned, [prompt, shortPrompt], options);
        Assert.Equal(cached, batch[0].NewIds);
        Assert.Equal(TextGenerator.Generate(reference, [.. textIds, .. shortPrompt], options).NewIds, batch[1].NewIds);
    }

    [Fact]
    public void Packed_sequences_each_see_the_whole_prompt_and_nothing_of_each_other()
    {
        var (model, tokenizer) = Load("tiny-llama");
        using var m = model;
        PromptTuningModel.Apply(model, new PromptTuningConfig { num_virtual_tokens = 4 }, tokenizer);
        var a = tokenizer.Encode("A tiny model").Select(i => (long)i).ToArray();
        var b = tokenizer.Encode("Return the number of items").Select(i => (long)i).ToArray();
        int la = a.Length, lb = b.Length, t = la + lb;
        var allowed = new bool[t * t];                                                                  // block-diagonal causal
        for (int q = 0; q < t; q++)
            for (int k = 0; k <= q; k++)
                allowed[q * t + k] = (q < la) == (k < la);
        var mask = tensor(allowed).reshape(1, 1, t, t);
        var positions = tensor(Enumerable.Range(0, la).Concat(Enumerable.Range(0, lb)).Select(i => (long)i).ToArray()).unsqueeze(0);
        using var noGrad = no_grad();
        var packed = model.Forward(tensor(a.Concat(b).ToArray()).unsqueeze(0), mask, positions);       // (1, la+lb, V)
        Close(model.Forward(tensor(a).unsqueeze(0)), packed.narrow(1, 0, la));
        Close(model.Forward(tensor(b).unsqueeze(0)), packed.narrow(1, la, lb));
    }

    [Fact]
    public void Only_the_prompt_trains_and_the_peft_adapter_reloads_with_identical_logits()
    {
        var (model, tokenizer) = Load("tiny-llama");
        using var m = model;
        random.manual_seed(5);
        var adapter = PromptTuningModel.Apply(model, new PromptTuningConfig { num_virtual_tokens = 3 }, tokenizer);
        var trainable = model.Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(["prompt_encoder.embedding.weight"], trainable);
        var dir = Path.Combine(root, "adapter");
        adapter.Save(dir);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "adapter_config.json")))!;
        Assert.Equal("PROMPT_TUNING", (string)json["peft_type"]!);
        Assert.Equal("CAUSAL_LM", (string)json["task_type"]!);
        Assert.Equal(64, (int)json["token_dim"]!);
        Assert.Equal(4, (int)json["num_attention_heads"]!);
        Assert.Equal(2, (int)json["num_layers"]!);
        Assert.Null(json["modules_to_save"]);
        using (var file = SafetensorsFile.Open(Path.Combine(dir, "adapter_model.safetensors")))
            Assert.Equal(["prompt_embeddings"], file.Tensors.Select(x => x.Name).ToArray());

        var (fresh, _) = Load("tiny-llama");
        using var f = fresh;
        var loaded = PromptTuningModel.Load(fresh, dir);
        Assert.All(fresh.Module.parameters(), p => Assert.False(p.requires_grad));
        var (ids, mask) = Inputs(tokenizer, 3);
        using var noGrad = no_grad();
        Assert.True(model.Forward(ids, mask).eq(fresh.Forward(ids, mask)).all().item<bool>());
        Assert.Equal(3, loaded.Prompt.Count);

        // A classifier's adapter is not a causal LM's, and the reverse.
        using var bert = global::TuneSharp.Inference.ClassifierLoader.Load(TaskTestKit.Bert);
        var wrongTask = Assert.Throws<UserError>(() => PromptTuningModel.Load((global::TuneSharp.Models.Bert.BertForSequenceClassification)bert.Model.Module, dir));
        Assert.Contains("a CAUSAL_LM adapter; this model takes SEQ_CLS", wrongTask.Message);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "adapter_config.json")))!.AsObject();
        config["num_virtual_tokens"] = 5;
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), config.ToJsonString());
        var (other, _) = Load("tiny-gpt2");
        using var o = other;
        Assert.Contains("'prompt_embeddings' has shape [3, 64], the model expects [5, 64]", Assert.Throws<UserError>(() => PromptTuningModel.Load(other, dir)).Message);
    }

    [Fact]
    public void A_recipe_trains_the_prompt_and_the_model_folder_reloads_it_for_generation_but_not_for_gguf()
    {
        string[] words = ["cat", "dog", "tree", "house", "river", "stone", "bird", "lamp"];
        File.WriteAllLines(Path.Combine(root, "train.jsonl"), words.Select(w => new JsonObject
        {
            ["prompt"] = $"Spell {w}:", ["completion"] = " " + string.Join(" ", w.ToUpperInvariant().ToCharArray()),
        }.ToJsonString()));
        var path = Path.Combine(root, "recipe.yaml");
        File.WriteAllText(path, $$$"""
            model: {{{TaskTestKit.Llama}}}
            task: causal-lm-sft
            seed: 3
            device: cpu
            output_dir: run
            data: {train: train.jsonl, validation: train.jsonl, fields: {prompt: prompt, completion: completion}, max_length: 32, max_eval_generations: 2}
            method: {type: prompt-tuning, prompt_tuning: {num_virtual_tokens: 5, prompt_tuning_init: TEXT, prompt_tuning_init_text: {{{Text}}}}}
            training: {epochs: 3, batch_size: 4, learning_rate: 0.1}
            generation: {max_new_tokens: 4}
            """);
        var tooLong = Assert.Throws<UserError>(() => RecipeRunner.Run(RecipeLoader.Load(path, ["method.prompt_tuning.num_virtual_tokens=125", "output_dir=too-long"])));
        Assert.Contains("key 'method.prompt_tuning.num_virtual_tokens': 125 virtual tokens + the longest training row's", tooLong.Message);
        var outcome = RecipeRunner.Run(RecipeLoader.Load(path));
        Assert.Equal(5 * 64, outcome.TrainableParameters);
        Assert.NotNull(outcome.AdapterDir);
        Assert.Contains("tunesharp_prompt_tuning", File.ReadAllText(Path.Combine(outcome.ModelDir, "config.json")));

        // The folder rebuilds the prompt; it is the adapter's, on the untouched base; and training moved it.
        using var fromFolder = Pretrained.LoadCausalLM(outcome.ModelDir);
        using var fromAdapter = Pretrained.LoadCausalLM(TaskTestKit.Llama);
        PromptTuningModel.Load(fromAdapter, outcome.AdapterDir!);
        Assert.NotNull(fromFolder.Prompt);
        Assert.True(fromFolder.Prompt!.Vectors.eq(fromAdapter.Prompt!.Vectors).all().item<bool>());
        var initial = fromAdapter.InputEmbeddings.index_select(0, tensor(PromptTuningModel.TextTokenIds(TextInit(5), HfTokenizer.Load(TaskTestKit.Llama))));
        Assert.False(initial.allclose(fromFolder.Prompt.Vectors), "training left the prompt where it started");
        foreach (var (name, p) in fromFolder.Module.named_parameters().Where(p => !p.name.StartsWith("prompt_encoder.", StringComparison.Ordinal)))
            Assert.True(p.eq(fromAdapter.Module.named_parameters().Single(q => q.name == name).parameter).all().item<bool>(), $"{name} changed");
        var tokens = HfTokenizer.Load(outcome.ModelDir).Encode("Spell cat:");
        var options = new GenerationOptions { MaxNewTokens = 4, IgnoreEos = true };
        Assert.Equal(TextGenerator.Generate(fromAdapter, tokens, options).NewIds, TextGenerator.Generate(fromFolder, tokens, options).NewIds);

        Assert.Contains("already prompt-tuned", Assert.Throws<UserError>(() => PromptTuningModel.Apply(fromFolder, TextInit(2), HfTokenizer.Load(TaskTestKit.Llama))).Message);
        var gguf = Assert.Throws<UserError>(() => GgufExport.Export(outcome.ModelDir, null, Path.Combine(root, "m.gguf"), GgufOutType.F32));
        Assert.Contains("prompt-tuned model cannot be exported to GGUF", gguf.Message);
        var serve = Assert.Throws<UserError>(() => global::TuneSharp.Server.ServedModel.Load(new global::TuneSharp.Server.ServeOptions { ModelDir = outcome.ModelDir }));
        Assert.Contains("prompt-tuned model (config.json key 'tunesharp_prompt_tuning') cannot be served yet", serve.Message);
    }
}
