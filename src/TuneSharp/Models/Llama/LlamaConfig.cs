using TuneSharp.Models.Common;

namespace TuneSharp.Models.Llama;

/// <summary>
/// Hugging Face Llama-family config (model_type llama, mistral, qwen2). Property names follow the
/// config.json keys. Qwen2 differs only by biases on q/k/v (<see cref="QkvBias"/>).
/// </summary>
public sealed record LlamaConfig
{
    public required string model_type { get; init; }
    public required int vocab_size { get; init; }
    public required int hidden_size { get; init; }
    public required int intermediate_size { get; init; }
    public required int num_hidden_layers { get; init; }
    public required int num_attention_heads { get; init; }
    /// <summary>KV heads for grouped-query attention; equals num_attention_heads for plain MHA.</summary>
    public required int num_key_value_heads { get; init; }
    public required int head_dim { get; init; }
    public int max_position_embeddings { get; init; } = 2048;
    public double rms_norm_eps { get; init; } = 1e-6;
    public required RopeScaling rope { get; init; }
    public bool tie_word_embeddings { get; init; }
    public bool attention_bias { get; init; }
    public bool mlp_bias { get; init; }
    public double attention_dropout { get; init; }
    public string hidden_act { get; init; } = "silu";
    public double initializer_range { get; init; } = 0.02;
    public int? pad_token_id { get; init; }
    public int? bos_token_id { get; init; }
    public IReadOnlyList<int> eos_token_id { get; init; } = [];

    /// <summary>Qwen2 always has q/k/v biases (and no o_proj bias); Llama follows attention_bias.</summary>
    public bool QkvBias => model_type == "qwen2" || attention_bias;
    public bool OutputBias => model_type != "qwen2" && attention_bias;

    /// <summary>Reads a config.json of a llama, mistral or qwen2 model.</summary>
    public static LlamaConfig From(ConfigJson c)
    {
        int hidden = c.Int("hidden_size"), heads = c.Int("num_attention_heads");
        var type = c.String("model_type") ?? "llama";
        if (hidden % heads != 0 && !c.Has("head_dim"))
            throw new UserError($"{c.Path}: key 'hidden_size': {hidden} is not divisible by num_attention_heads {heads}");
        string act = c.String("hidden_act") ?? "silu";
        if (act != "silu") throw new UserError($"{c.Path}: key 'hidden_act': '{act}' is not supported for {type} (supported: silu)");
        return new LlamaConfig
        {
            model_type = type,
            vocab_size = c.Int("vocab_size"),
            hidden_size = hidden,
            intermediate_size = c.Int("intermediate_size"),
            num_hidden_layers = c.Int("num_hidden_layers"),
            num_attention_heads = heads,
            num_key_value_heads = c.Int("num_key_value_heads", heads),
            head_dim = c.IntOrNull("head_dim") ?? hidden / heads,
            max_position_embeddings = c.Int("max_position_embeddings", 2048),
            rms_norm_eps = c.Double("rms_norm_eps", 1e-6),
            rope = RopeScaling.From(c, type == "qwen2" ? 1_000_000.0 : 10_000.0),
            tie_word_embeddings = c.Bool("tie_word_embeddings", type == "qwen2"),
            attention_bias = c.Bool("attention_bias", false),
            mlp_bias = c.Bool("mlp_bias", false),
            attention_dropout = c.Double("attention_dropout", 0.0),
            hidden_act = act,
            initializer_range = c.Double("initializer_range", 0.02),
            pad_token_id = c.IntOrNull("pad_token_id"),
            bos_token_id = c.IntOrNull("bos_token_id"),
            eos_token_id = c.IntList("eos_token_id"),
        };
    }
}
