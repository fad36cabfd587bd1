namespace TuneSharp.Models.Gpt2;

/// <summary>Hugging Face GPT-2 config; property names follow the config.json keys.</summary>
public sealed record Gpt2Config
{
    public required int vocab_size { get; init; }
    public required int n_positions { get; init; }
    public required int n_embd { get; init; }
    public required int n_layer { get; init; }
    public required int n_head { get; init; }
    /// <summary>MLP width; null in config.json means 4 × n_embd.</summary>
    public required int n_inner { get; init; }
    public string activation_function { get; init; } = "gelu_new";
    public double layer_norm_epsilon { get; init; } = 1e-5;
    public double embd_pdrop { get; init; } = 0.1;
    public double attn_pdrop { get; init; } = 0.1;
    public double resid_pdrop { get; init; } = 0.1;
    public double initializer_range { get; init; } = 0.02;
    public bool scale_attn_weights { get; init; } = true;
    public bool tie_word_embeddings { get; init; } = true;
    public int? pad_token_id { get; init; }
    public int? bos_token_id { get; init; }
    public IReadOnlyList<int> eos_token_id { get; init; } = [];

    public static Gpt2Config From(ConfigJson c)
    {
        int embd = c.Int("n_embd");
        string act = c.String("activation_function") ?? "gelu_new";
        if (act is not ("gelu_new" or "gelu" or "gelu_pytorch_tanh" or "relu"))
            throw new UserError($"{c.Path}: key 'activation_function': '{act}' is not supported (supported: gelu_new, gelu, gelu_pytorch_tanh, relu)");
        if (c.Bool("scale_attn_by_inverse_layer_idx", false) || c.Bool("reorder_and_upcast_attn", false))
            throw new UserError($"{c.Path}: keys 'scale_attn_by_inverse_layer_idx'/'reorder_and_upcast_attn' are not supported");
        return new Gpt2Config
        {
            vocab_size = c.Int("vocab_size"),
            n_positions = c.Int("n_positions", 1024),
            n_embd = embd,
            n_layer = c.Int("n_layer"),
            n_head = c.Int("n_head"),
            n_inner = c.IntOrNull("n_inner") ?? 4 * embd,
            activation_function = act,
            layer_norm_epsilon = c.Double("layer_norm_epsilon", 1e-5),
            embd_pdrop = c.Double("embd_pdrop", 0.1),
            attn_pdrop = c.Double("attn_pdrop", 0.1),
            resid_pdrop = c.Double("resid_pdrop", 0.1),
            initializer_range = c.Double("initializer_range", 0.02),
            scale_attn_weights = c.Bool("scale_attn_weights", true),
            tie_word_embeddings = c.Bool("tie_word_embeddings", true),
            pad_token_id = c.IntOrNull("pad_token_id"),
            bos_token_id = c.IntOrNull("bos_token_id"),
            eos_token_id = c.IntList("eos_token_id"),
        };
    }
}
