namespace TuneSharp.Models;

/// <summary>
/// The config.json keys every family shares (transformers' PretrainedConfig). Property names follow the keys, so
/// <see cref="ConfigJson.Bind{T}"/> reads a family's record from config.json in one step.
/// </summary>
public abstract record ModelConfig
{
    /// <summary>Rows of the token embedding (and of an untied LM head).</summary>
    public required int vocab_size { get; init; }
    /// <summary>Standard deviation of the normal initialisation of fresh weights (heads, random init).</summary>
    public double initializer_range { get; init; } = 0.02;
    /// <summary>Padding token id, when the checkpoint names one.</summary>
    public int? pad_token_id { get; init; }
    /// <summary>Beginning-of-sequence token id, when the checkpoint names one.</summary>
    public int? bos_token_id { get; init; }
    /// <summary>End-of-sequence token id(s): config.json holds one id or a list.</summary>
    public IReadOnlyList<int> eos_token_id { get; init; } = [];
}
