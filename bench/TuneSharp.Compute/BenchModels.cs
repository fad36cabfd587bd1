using System.Text.Json.Nodes;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// Randomly initialised causal LMs of real shapes, built from the same config.json keys a Hugging Face script
/// would use (bench/gpu/hf_train.py builds the identical configs): no weights need downloading.
/// </summary>
internal static class BenchModels
{
    public static readonly string[] Names = ["gpt2-124m", "qwen2-0.5b", "llama-20m", "llama-100m"];

    public static JsonObject Config(string name) => name switch
    {
        // GPT2Config() defaults: 124M parameters, 1024 positions, dropout 0.1.
        "gpt2-124m" => new JsonObject
        {
            ["model_type"] = "gpt2", ["vocab_size"] = 50257, ["n_positions"] = 1024, ["n_embd"] = 768, ["n_layer"] = 12, ["n_head"] = 12,
            ["activation_function"] = "gelu_new", ["resid_pdrop"] = 0.1, ["embd_pdrop"] = 0.1, ["attn_pdrop"] = 0.1,
            ["layer_norm_epsilon"] = 1e-5, ["tie_word_embeddings"] = true, ["bos_token_id"] = 50256, ["eos_token_id"] = 50256,
        },
        // Qwen2-0.5B's config.json shape (494M parameters, tied embeddings, GQA 14/2 heads).
        "qwen2-0.5b" => new JsonObject
        {
            ["model_type"] = "qwen2", ["vocab_size"] = 151936, ["hidden_size"] = 896, ["intermediate_size"] = 4864,
            ["num_hidden_layers"] = 24, ["num_attention_heads"] = 14, ["num_key_value_heads"] = 2, ["max_position_embeddings"] = 32768,
            ["rms_norm_eps"] = 1e-6, ["rope_theta"] = 1000000.0, ["tie_word_embeddings"] = true, ["hidden_act"] = "silu",
            ["attention_dropout"] = 0.0, ["bos_token_id"] = 151643, ["eos_token_id"] = 151643,
        },
        "llama-20m" => Llama(512, 6, 8, 1376, 8192),
        "llama-100m" => Llama(768, 12, 12, 2048, 32000),
        _ => throw new ArgumentException($"--model {name}: one of {string.Join(", ", Names)}"),
    };

    static JsonObject Llama(int hidden, int layers, int heads, int inter, int vocab) => new()
    {
        ["model_type"] = "llama", ["vocab_size"] = vocab, ["hidden_size"] = hidden, ["intermediate_size"] = inter,
        ["num_hidden_layers"] = layers, ["num_attention_heads"] = heads, ["num_key_value_heads"] = heads,
        ["max_position_embeddings"] = 2048, ["rms_norm_eps"] = 1e-5, ["rope_theta"] = 10000.0, ["tie_word_embeddings"] = true,
    };

    /// <summary>The model with N(0, 0.02) weights, on <paramref name="device"/>.</summary>
    public static ICausalLM Create(string name, Device device, long seed = 0)
    {
        var lm = ModelFactory.CreateCausalLM(new ConfigJson(Config(name), name), device);
        WeightInit.Apply(lm.Module, 0.02, seed);
        return lm;
    }

    /// <summary>
    /// Training FLOPs per token as nanoGPT and the PaLM paper count them: 6 per weight used in a matmul (2 forward,
    /// 4 backward) plus 12·L·C·T for attention scores and values; with frozen base weights (LoRA) the backward
    /// computes no weight gradients, so 4 per frozen weight and 8·L·C·T.
    /// </summary>
    public static double FlopsPerToken(ICausalLM lm, long seq, bool frozenBase)
    {
        long matmulWeights = lm.Module.named_parameters()
            .Where(p => p.parameter.dim() == 2 && !p.name.Contains("wpe", StringComparison.Ordinal))
            .Sum(p => p.parameter.numel());
        // A tied embedding is listed once but used twice (lookup, free; projection, a matmul): counted once, as nanoGPT does.
        double perWeight = frozenBase ? 4 : 6;
        double attention = (frozenBase ? 8.0 : 12.0) * lm.Info.NumLayers * lm.Info.HiddenSize * seq;
        return perWeight * matmulWeights + attention;
    }
}
