namespace TuneSharp.Models.Gpt2;

/// <summary>Hugging Face GPT-2 config; property names follow the config.json keys (defaults: transformers' GPT2Config).</summary>
public sealed record Gpt2Config : ModelConfig
{
    /// <summary>Learned positions (the longest sequence).</summary>
    public int n_positions { get; init; } = 1024;
    /// <summary>Width of the residual stream.</summary>
    public required int n_embd { get; init; }
    /// <summary>Transformer blocks.</summary>
    public required int n_layer { get; init; }
    /// <summary>Attention heads per block.</summary>
    public required int n_head { get; init; }
    /// <summary>MLP width; null in config.json means 4 × n_embd.</summary>
    public required int n_inner { get; init; }
    public string activation_function { get; init; } = "gelu_new";
    public double layer_norm_epsilon { get; init; } = 1e-5;
    public double embd_pdrop { get; init; } = 0.1;
    public double attn_pdrop { get; init; } = 0.1;
    public double resid_pdrop { get; init; } = 0.1;
    public bool scale_attn_weights { get; init; } = true;
    public bool tie_word_embeddings { get; init; } = true;

    public static Gpt2Config From(ConfigJson c)
    {
        int embd = c.Int("n_embd");
        string act = c.String("activation_function") ?? "gelu_new";
        if (act is not ("gelu_new" or "gelu" or "gelu_pytorch_tanh" or "relu"))
            throw new UserError($"{c.Path}: key 'activation_function': '{act}' is not supported (supported: gelu_new, gelu, gelu_pytorch_tanh, relu)");
        if (c.Bool("scale_attn_by_inverse_layer_idx", false) || c.Bool("reorder_and_upcast_attn", false))
            throw new UserError($"{c.Path}: keys 'scale_attn_by_inverse_layer_idx'/'reorder_and_upcast_attn' are not supported");
        return c.Bind(new Gpt2Config
        {
            vocab_size = c.Int("vocab_size"),
            n_embd = embd,
            n_layer = c.Count("n_layer"),
            n_head = c.Count("n_head"),
            n_inner = 4 * embd,
        });
    }
}
