using TuneSharp.Models.Common;

namespace TuneSharp.Models.Llama;

/// <summary>
/// Hugging Face Llama-family config (model_type llama, mistral, qwen2). Property names follow the
/// config.json keys. Qwen2 differs only by biases on q/k/v (<see cref="QkvBias"/>).
/// </summary>
public sealed record LlamaConfig : ModelConfig
{
    /// <summary>llama, mistral or qwen2.</summary>
    public required string model_type { get; init; }
    /// <summary>Width of the residual stream.</summary>
    public required int hidden_size { get; init; }
    /// <summary>SwiGLU MLP width.</summary>
    public required int intermediate_size { get; init; }
    /// <summary>Decoder layers.</summary>
    public required int num_hidden_layers { get; init; }
    /// <summary>Query heads per layer.</summary>
    public required int num_attention_heads { get; init; }
    /// <summary>KV heads for grouped-query attention; equals num_attention_heads for plain MHA.</summary>
    public required int num_key_value_heads { get; init; }
    /// <summary>Width of one head; hidden_size / num_attention_heads unless config.json says otherwise.</summary>
    public required int head_dim { get; init; }
    public int max_position_embeddings { get; init; } = 2048;
    public double rms_norm_eps { get; init; } = 1e-6;
    /// <summary>rope_theta and rope_scaling (not a config.json key of its own).</summary>
    public required RopeScaling rope { get; init; }
    public bool tie_word_embeddings { get; init; }
    public bool attention_bias { get; init; }
    public bool mlp_bias { get; init; }
    public double attention_dropout { get; init; }
    public string hidden_act { get; init; } = "silu";

    /// <summary>Qwen2 always has q/k/v biases (and no o_proj bias); Llama follows attention_bias.</summary>
    public bool QkvBias => model_type == "qwen2" || attention_bias;
    public bool OutputBias => model_type != "qwen2" && attention_bias;

    /// <summary>Reads a config.json of a llama, mistral or qwen2 model.</summary>
    public static LlamaConfig From(ConfigJson c)
    {
        int hidden = c.Int("hidden_size"), heads = c.Count("num_attention_heads");
        var type = c.String("model_type") ?? "llama";
        if (hidden % heads != 0 && !c.Has("head_dim"))
            throw new UserError($"{c.Path}: key 'hidden_size': {hidden} is not divisible by num_attention_heads {heads}");
        string act = c.String("hidden_act") ?? "silu";
        if (act != "silu") throw new UserError($"{c.Path}: key 'hidden_act': '{act}' is not supported for {type} (supported: silu)");
        return c.Bind(new LlamaConfig
        {
            model_type = type,
            vocab_size = c.Int("vocab_size"),
            hidden_size = hidden,
            intermediate_size = c.Int("intermediate_size"),
            num_hidden_layers = c.Count("num_hidden_layers"),
            num_attention_heads = heads,
            num_key_value_heads = heads,
            head_dim = hidden / heads,
            rope = RopeScaling.From(c, type == "qwen2" ? 1_000_000.0 : 10_000.0),
            tie_word_embeddings = type == "qwen2",
        });
    }
}
