namespace TuneSharp.Models.Bert;

/// <summary>Hugging Face BERT config; property names follow the config.json keys (defaults: transformers' BertConfig).</summary>
public sealed record BertConfig : ModelConfig
{
    /// <summary>Class names by index (id2label); its length is num_labels.</summary>
    public IReadOnlyList<string> id2label { get; init; } = ["LABEL_0", "LABEL_1"];
    /// <summary>Number of classes of a classification head.</summary>
    public int num_labels => id2label.Count;
    /// <summary>"multi_label_classification" for sigmoid heads; null otherwise.</summary>
    public string? problem_type { get; init; }
    /// <summary>Width of the hidden states.</summary>
    public required int hidden_size { get; init; }
    /// <summary>Encoder layers.</summary>
    public required int num_hidden_layers { get; init; }
    /// <summary>Attention heads per layer.</summary>
    public required int num_attention_heads { get; init; }
    /// <summary>Feed-forward width.</summary>
    public required int intermediate_size { get; init; }
    public int max_position_embeddings { get; init; } = 512;
    public int type_vocab_size { get; init; } = 2;
    public double layer_norm_eps { get; init; } = 1e-12;
    public double hidden_dropout_prob { get; init; } = 0.1;
    public double attention_probs_dropout_prob { get; init; } = 0.1;
    public double? classifier_dropout { get; init; }
    public string hidden_act { get; init; } = "gelu";

    public static BertConfig From(ConfigJson c)
    {
        string act = c.String("hidden_act") ?? "gelu";
        if (act is not ("gelu" or "gelu_new" or "relu"))
            throw new UserError($"{c.Path}: key 'hidden_act': '{act}' is not supported (supported: gelu, gelu_new, relu)");
        var pet = c.String("position_embedding_type") ?? "absolute";
        if (pet != "absolute")
            throw new UserError($"{c.Path}: key 'position_embedding_type': '{pet}' is not supported (supported: absolute)");
        return c.Bind(new BertConfig
        {
            vocab_size = c.Int("vocab_size"),
            hidden_size = c.Int("hidden_size"),
            num_hidden_layers = c.Count("num_hidden_layers"),
            num_attention_heads = c.Count("num_attention_heads"),
            intermediate_size = c.Int("intermediate_size"),
            id2label = Labels(c),
        });
    }

    /// <summary>id2label ordered by index; else num_labels generic names; else two.</summary>
    static IReadOnlyList<string> Labels(ConfigJson c)
    {
        var map = c.Object("id2label");
        if (map is null || map.Count == 0)
            return Enumerable.Range(0, c.Int("num_labels", 2)).Select(i => $"LABEL_{i}").ToList();
        var names = new string[map.Count];
        foreach (var (key, value) in map)
        {
            if (!int.TryParse(key, out int i) || i < 0 || i >= names.Length)
                throw new UserError($"{c.Path}: key 'id2label.{key}': expected indices 0..{names.Length - 1}");
            names[i] = value?.GetValue<string>() ?? throw new UserError($"{c.Path}: key 'id2label.{key}': expected a string");
        }
        return names;
    }
}
