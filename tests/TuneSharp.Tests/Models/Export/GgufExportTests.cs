using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Cli;
using TuneSharp.Cli.Commands;
using TuneSharp.IO.Gguf;
using TuneSharp.Models;
using TuneSharp.Models.Export;
using TuneSharp.Tests.Adapters;
using TuneSharp.Tests.IO.Gguf;
using TuneSharp.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models.Export;

public class GgufExportTests(ITestOutputHelper output)
{
    static readonly string[] Prompts =
        ["Fine-tuning", "Hello world", "The quick brown fox jumps", "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n"];

    const string Text = "Fine-tuning a small language model on a laptop is possible when the adapter is small, the data is clean, " +
                        "and the learning rate is chosen with care; then the model is exported and served.";

    [Fact]
    public void Permutation_interleaves_the_rotate_half_pairs_per_head()
    {
        // 2 heads of head_dim 4, one column: HF rows per head are [x0, x1, y0, y1] with (x_j, y_j) rotated together;
        // GGML wants [x0, y0, x1, y1].
        float[] rows = [0, 1, 2, 3, 10, 11, 12, 13];
        Assert.Equal([0f, 2, 1, 3, 10, 12, 11, 13], GgufExport.PermuteRows(rows, rows: 8, cols: 1, heads: 2));
        // Whole rows move: (4, 2) with one head.
        float[] matrix = [0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f];
        Assert.Equal([0f, 0.5f, 2, 2.5f, 1, 1.5f, 3, 3.5f], GgufExport.PermuteRows(matrix, rows: 4, cols: 2, heads: 1));
    }

    [Fact]
    public void Names_and_types_follow_llama_cpp()
    {
        Assert.Equal("token_embd.weight", GgufExport.TensorName("model.embed_tokens.weight"));
        Assert.Equal("blk.1.attn_q.bias", GgufExport.TensorName("model.layers.1.self_attn.q_proj.bias"));
        Assert.Equal("blk.0.ffn_down.weight", GgufExport.TensorName("model.layers.0.mlp.down_proj.weight"));
        Assert.Equal("blk.12.ffn_norm.weight", GgufExport.TensorName("model.layers.12.post_attention_layernorm.weight"));
        Assert.Null(GgufExport.TensorName("model.layers.0.mlp.experts.weight"));
        Assert.Equal(GgufTensorType.F32, GgufExport.TensorType([64], GgufOutType.Q8_0));
        Assert.Equal(GgufTensorType.Q8_0, GgufExport.TensorType([16, 64], GgufOutType.Q8_0));
        Assert.Equal(GgufTensorType.F16, GgufExport.TensorType([16, 48], GgufOutType.Q8_0));
        Assert.Equal(GgufTensorType.F16, GgufExport.TensorType([16, 48], GgufOutType.F16));
    }

    [Fact]
    public void The_file_holds_the_hyperparameters_tokenizer_and_permuted_weights()
    {
        using var tmp = new TempFolder();
        var path = tmp["m.gguf"];
        GgufExport.Export(LoraKit.Llama, null, path, GgufOutType.F32);
        var r = GgufTestReader.Open(path);
        Assert.Equal(3u, r.Version);
        Assert.Equal("llama", r.Metadata["general.architecture"]);
        Assert.Equal(64u, r.Metadata["llama.embedding_length"]);
        Assert.Equal(2u, r.Metadata["llama.block_count"]);
        Assert.Equal(4u, r.Metadata["llama.attention.head_count"]);
        Assert.Equal(2u, r.Metadata["llama.attention.head_count_kv"]);
        Assert.Equal(16u, r.Metadata["llama.rope.dimension_count"]);
        Assert.Equal(10000f, r.Metadata["llama.rope.freq_base"]);
        Assert.Equal(1e-6f, r.Metadata["llama.attention.layer_norm_rms_epsilon"]);
        Assert.Equal("gpt2", r.Metadata["tokenizer.ggml.model"]);
        Assert.Equal("gpt-2", r.Metadata["tokenizer.ggml.pre"]);
        var tokens = ((object[])r.Metadata["tokenizer.ggml.tokens"]).Cast<string>().ToArray();
        Assert.Equal(512, tokens.Length);
        Assert.Equal("<|im_start|>", tokens[1]);
        Assert.Equal(3, ((object[])r.Metadata["tokenizer.ggml.token_type"])[1]); // control
        Assert.Equal(0u, r.Metadata["tokenizer.ggml.eos_token_id"]);
        Assert.Equal(3u, r.Metadata["tokenizer.ggml.padding_token_id"]);
        Assert.False(r.Metadata.ContainsKey("tokenizer.ggml.bos_token_id"));
        Assert.Equal(File.ReadAllText(Path.Combine(LoraKit.Llama, "chat_template.jinja")), r.Metadata["tokenizer.chat_template"]);
        var merges = ((object[])r.Metadata["tokenizer.ggml.merges"]).Cast<string>().ToArray();
        Assert.Equal("Ġ Ġ", merges[0]);
        Assert.Equal(2 + 2 * 9 + 1, r.Tensors.Count); // embd, output_norm, output + 9 per layer
        Assert.Equal([64ul, 512ul], r.Tensor("token_embd.weight").Ne);
        Assert.Equal([64ul, 32ul], r.Tensor("blk.0.attn_k.weight").Ne);

        // q rows are permuted per head, v rows are not.
        using var lm = Pretrained.LoadCausalLM(LoraKit.Llama);
        var state = lm.Module.state_dict();
        var q = state["model.layers.0.self_attn.q_proj.weight"].data<float>().ToArray();
        Assert.Equal(GgufExport.PermuteRows(q, 64, 64, 4), r.Floats("blk.0.attn_q.weight"));
        Assert.Equal(state["model.layers.1.self_attn.v_proj.weight"].data<float>().ToArray(), r.Floats("blk.1.attn_v.weight"));
    }

    [Theory]
    [InlineData(GgufOutType.F32)]
    [InlineData(GgufOutType.F16)]
    public void Llama_cpp_greedy_tokens_equal_TuneSharp_s(GgufOutType outType)
    {
        using var tmp = new TempFolder();
        var path = tmp["m.gguf"];
        GgufExport.Export(LoraKit.Llama, null, path, outType);
        using var lm = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var cpp = new LlamaCppModel(path);
        var tokenizer = HfTokenizer.Load(LoraKit.Llama);
        foreach (var prompt in Prompts)
        {
            var ids = tokenizer.Encode(prompt);
            Assert.Equal(Greedy(lm, ids, 12), cpp.Greedy(ids, 12));
        }
    }

    [Fact]
    public void Llama_cpp_tokenizes_like_TuneSharp_from_the_exported_vocabulary_and_merges()
    {
        using var tmp = new TempFolder();
        var path = tmp["m.gguf"];
        GgufExport.Export(LoraKit.Llama, null, path, GgufOutType.F32);
        using var cpp = new LlamaCppModel(path);
        var tokenizer = HfTokenizer.Load(LoraKit.Llama);
        foreach (var text in Prompts.Append(Text))
            Assert.Equal(tokenizer.Encode(text), cpp.Weights.Tokenize(text, false, true, Encoding.UTF8).Select(t => (int)t));
    }

    static string BaseModel => Path.Combine(Fixtures.RepoRoot, "models", "tunesharp-base");

    [Theory]
    [InlineData(GgufOutType.F32)]
    [InlineData(GgufOutType.F16)]
    public void The_embedded_base_model_with_tied_embeddings_decodes_the_same_in_llama_cpp(GgufOutType outType)
    {
        var dir = BaseModel;
        using var tmp = new TempFolder();
        var path = tmp["base.gguf"];
        GgufExport.Export(dir, null, path, outType);
        Assert.DoesNotContain(GgufTestReader.Open(path).Tensors, t => t.Name == "output.weight");
        using var lm = Pretrained.LoadCausalLM(dir);
        using var cpp = new LlamaCppModel(path);
        var tokenizer = HfTokenizer.Load(dir);
        foreach (var prompt in Prompts)
        {
            var ids = tokenizer.Encode(prompt);
            Assert.Equal(ids, cpp.Weights.Tokenize(prompt, false, true, Encoding.UTF8).Select(t => (int)t));
            Assert.Equal(Greedy(lm, ids, 12), cpp.Greedy(ids, 12));
        }
    }

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tunesharp-base")]
    public void Q8_0_top1_agrees_with_TuneSharp_on_at_least_95_percent_of_positions(string model)
    {
        var dir = model == "tunesharp-base" ? BaseModel : Fixtures.HfTiny(model);
        using var tmp = new TempFolder();
        var path = tmp["m.gguf"];
        GgufExport.Export(dir, null, path, GgufOutType.Q8_0);
        var r = GgufTestReader.Open(path);
        Assert.Equal((uint)GgufTensorType.Q8_0, r.Tensor("blk.0.attn_q.weight").Type);
        Assert.Equal((uint)GgufTensorType.F32, r.Tensor("blk.0.attn_norm.weight").Type);
        Assert.Equal(7u, r.Metadata["general.file_type"]);

        using var lm = Pretrained.LoadCausalLM(dir);
        using var cpp = new LlamaCppModel(path);
        var ids = HfTokenizer.Load(dir).Encode(Text);
        var ours = ArgMaxes(lm, ids);
        var theirs = cpp.ArgMaxes(ids);
        double agreement = ours.Zip(theirs).Count(p => p.First == p.Second) / (double)ids.Count;
        output.WriteLine($"{model} q8_0 top-1 agreement: {agreement:P1} of {ids.Count} positions");
        Assert.True(agreement >= 0.95, $"top-1 agreement {agreement:P1} over {ids.Count} positions");
    }

    [Fact]
    public void A_merged_lora_export_decodes_like_the_merged_model()
    {
        using var tmp = new TempFolder();
        var path = tmp["m.gguf"];
        int code = CliRunner.Run(new System.CommandLine.RootCommand { ExportCommand.Create() },
            ["export", "--format", "gguf", "--outtype", "f32", "--model", LoraKit.Llama, "--adapter", LoraKit.Adapter, "--out", path],
            new StringWriter(), new StringWriter());
        Assert.Equal(0, code);
        using var lm = Pretrained.LoadCausalLM(LoraKit.Llama);
        var merged = TuneSharp.Adapters.LoraModel.Load(lm.Module, LoraKit.Adapter).MergeAndUnload();
        using var cpp = new LlamaCppModel(path);
        var ids = HfTokenizer.Load(LoraKit.Llama).Encode(Prompts[0]);
        var greedy = Greedy(lm, ids, 12);
        Assert.Equal(greedy, cpp.Greedy(ids, 12));
        // and the adapter changed something, or the test would prove nothing about the merge
        GgufExport.Export(LoraKit.Llama, null, tmp["plain.gguf"], GgufOutType.F32);
        using var plain = new LlamaCppModel(tmp["plain.gguf"]);
        var text = HfTokenizer.Load(LoraKit.Llama).Encode(Text);
        Assert.NotEqual(cpp.ArgMaxes(text), plain.ArgMaxes(text));
    }

    [Fact]
    public void Qwen2_keeps_rows_unpermuted_and_exports_the_qkv_biases()
    {
        using var tmp = new TempFolder();
        var dir = Qwen2From(LoraKit.Llama, tmp["qwen2"]);
        var path = tmp["q.gguf"];
        GgufExport.Export(dir, null, path, GgufOutType.F32);
        var r = GgufTestReader.Open(path);
        Assert.Equal("qwen2", r.Metadata["general.architecture"]);
        Assert.Equal([32ul], r.Tensor("blk.0.attn_k.bias").Ne);
        Assert.DoesNotContain(r.Tensors, t => t.Name == "output.weight"); // tied: llama.cpp reuses token_embd
        using var lm = Pretrained.LoadCausalLM(dir);
        Assert.Equal(lm.Module.state_dict()["model.layers.0.self_attn.q_proj.weight"].data<float>().ToArray(), r.Floats("blk.0.attn_q.weight"));
        using var cpp = new LlamaCppModel(path);
        var tokenizer = HfTokenizer.Load(dir);
        foreach (var prompt in Prompts.Take(2))
        {
            var ids = tokenizer.Encode(prompt);
            Assert.Equal(Greedy(lm, ids, 8), cpp.Greedy(ids, 8));
        }
    }

    [Fact]
    public void Llama3_rope_scaling_is_a_rope_freqs_tensor_llama_cpp_applies_past_the_original_context()
    {
        // The llama3-rope fixture (original context 32, factor 8) with tiny-llama's tokenizer files (same 512 ids).
        using var tmp = new TempFolder();
        var dir = tmp["llama3"];
        Directory.CreateDirectory(dir);
        foreach (var file in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(Fixtures.HfTiny("tiny-llama3-rope"), file), Path.Combine(dir, file));
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json", "chat_template.jinja" })
            File.Copy(Path.Combine(LoraKit.Llama, file), Path.Combine(dir, file));
        var path = tmp["m.gguf"];
        GgufExport.Export(dir, null, path, GgufOutType.F32);
        var factors = GgufTestReader.Open(path).Floats("rope_freqs.weight");
        Assert.Equal(8, factors.Length); // head_dim / 2
        Assert.Equal(1f, factors[0]); // the highest frequency is not scaled
        Assert.Equal(8f, factors[^1]); // the lowest is divided by the factor

        using var lm = Pretrained.LoadCausalLM(dir);
        using var reference = new Reference("tiny-llama3-rope");
        var ids = reference["input_ids"][0].data<long>().ToArray().Select(i => (int)i).ToArray(); // 200 tokens, unpadded
        using var cpp = new LlamaCppModel(path, contextSize: 256);
        var ours = ArgMaxes(lm, ids);
        var theirs = cpp.ArgMaxes(ids);
        output.WriteLine($"llama3 rope: {ours.Zip(theirs).Count(p => p.First == p.Second)} of {ids.Length} positions agree");
        Assert.Equal(ours, theirs);

        // The argmaxes of this random model barely depend on the scaling, so compare logits too: llama.cpp's are
        // TuneSharp's, and far from those of the same weights without the scaling.
        var theirLogits = cpp.Logits(ids);
        double scaled = MaxAbsDiff(Logits(lm, ids), theirLogits);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
        config["rope_parameters"] = new JsonObject { ["rope_theta"] = 500000.0, ["rope_type"] = "default" };
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
        using var unscaled = Pretrained.LoadCausalLM(dir);
        double withoutScaling = MaxAbsDiff(Logits(unscaled, ids), theirLogits);
        output.WriteLine($"llama3 rope: max |logits diff| {scaled:E2} (unscaled model: {withoutScaling:E2})");
        Assert.True(scaled < 1e-3, $"max |TuneSharp - llama.cpp| = {scaled:E2}");
        Assert.True(withoutScaling > 10 * scaled, $"the scaling changes the logits by only {withoutScaling:E2}");
    }

    static float[] Logits(ICausalLM lm, IReadOnlyList<int> ids)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return lm.Forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0)).contiguous().data<float>().ToArray();
    }

    static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b).Max(p => (double)Math.Abs(p.First - p.Second));

    [Fact]
    public void Exporting_a_family_gguf_cannot_express_is_one_error_line()
    {
        using var tmp = new TempFolder();
        foreach (var family in new[] { "tiny-gpt2", "tiny-bert-cls" })
        {
            var stderr = new StringWriter();
            int code = CliRunner.Run(new System.CommandLine.RootCommand { ExportCommand.Create() },
                ["export", "--format", "gguf", "--model", Fixtures.HfTiny(family), "--out", tmp["x.gguf"]], new StringWriter(), stderr);
            Assert.Equal(CliRunner.UserErrorExit, code);
            var lines = stderr.ToString().Trim().Split('\n');
            Assert.Single(lines);
            Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
            Assert.Contains("gguf export supports llama and qwen2", lines[0], StringComparison.Ordinal);
            Assert.False(File.Exists(tmp["x.gguf"]));
            output.WriteLine(lines[0]);
        }
        var bad = new StringWriter();
        Assert.Equal(CliRunner.UserErrorExit, CliRunner.Run(new System.CommandLine.RootCommand { ExportCommand.Create() },
            ["export", "--format", "gguf", "--outtype", "q4_k", "--model", LoraKit.Llama, "--out", tmp["y.gguf"]], new StringWriter(), bad));
        Assert.Contains("error: --outtype: 'q4_k' is not supported", bad.ToString(), StringComparison.Ordinal);
        var folder = new StringWriter();
        Assert.Equal(CliRunner.UserErrorExit, CliRunner.Run(new System.CommandLine.RootCommand { ExportCommand.Create() },
            ["export", "--format", "gguf", "--model", LoraKit.Llama, "--out", tmp.Path], new StringWriter(), folder));
        Assert.Contains("is a folder; a gguf export writes one file", folder.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Greedy tokens by full forward passes (no cache), argmax of the last position.</summary>
    internal static int[] Greedy(ICausalLM lm, IReadOnlyList<int> prompt, int count)
    {
        using var _ = no_grad();
        var ids = prompt.Select(i => (long)i).ToList();
        var result = new List<int>();
        while (result.Count < count)
        {
            using var scope = NewDisposeScope();
            var logits = lm.Forward(tensor(ids.ToArray()).unsqueeze(0));
            int next = (int)logits[0, -1].argmax().item<long>();
            result.Add(next);
            ids.Add(next);
        }
        return [.. result];
    }

    static int[] ArgMaxes(ICausalLM lm, IReadOnlyList<int> ids)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var logits = lm.Forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0));
        return [.. logits[0].argmax(-1).data<long>().ToArray().Select(i => (int)i)];
    }

    /// <summary>
    /// A tiny Qwen2 folder: tiny-llama's weights (same shapes), random q/k/v biases large enough to matter,
    /// tied embeddings, and the same tokenizer files.
    /// </summary>
    static string Qwen2From(string llamaDir, string dir)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(llamaDir, "config.json")))!.AsObject();
        root["model_type"] = "qwen2";
        root["architectures"] = new JsonArray("Qwen2ForCausalLM");
        root["tie_word_embeddings"] = true;
        var config = new ConfigJson(root, "config.json");
        using var source = Pretrained.LoadCausalLM(llamaDir);
        var weights = source.Module.state_dict();
        using var qwen = ModelFactory.CreateCausalLM(config);
        using (no_grad())
        {
            manual_seed(15);
            foreach (var (key, p) in qwen.Module.state_dict())
                if (weights.TryGetValue(key, out var w)) p.copy_(w);
                else p.copy_(randn(p.shape) * 0.5f);
        }
        Pretrained.Save(dir, qwen.Module, config, sideFilesFrom: llamaDir);
        return dir;
    }
}
