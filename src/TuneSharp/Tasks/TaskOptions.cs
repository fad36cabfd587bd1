using TuneSharp.Data;

namespace TuneSharp.Tasks;

/// <summary>
/// Options of every task (each task reads the ones it needs); a plain record that a recipe layer maps onto.
/// </summary>
public sealed record TaskOptions
{
    /// <summary>Longest row in tokens, special tokens included (classification, token classification, SFT, seq2seq).</summary>
    public int MaxLength { get; init; } = 512;
    /// <summary>Field names of the records.</summary>
    public FieldNames Fields { get; init; } = new();
    /// <summary>Class (or tag) names in index order; null takes them from the checkpoint's id2label when it covers the data, else from the data, sorted.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
    /// <summary>
    /// Without <see cref="Labels"/>: take the label set from every split, not only training. For large tag sets
    /// (Brown's 450 POS tags) whose rarest tags appear only in validation or test; their head rows stay untrained.
    /// </summary>
    public bool LabelsFromAllSplits { get; init; }
    /// <summary>Multi-label classification: sigmoid + BCE-with-logits, a label is predicted when its probability ≥ <see cref="MultiLabelThreshold"/>.</summary>
    public bool MultiLabel { get; init; }
    /// <summary>Probability threshold of a multi-label prediction.</summary>
    public double MultiLabelThreshold { get; init; } = 0.5;
    /// <summary>Per-class weights of the single-label cross-entropy, in label order; null = unweighted.</summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }
    /// <summary>Label smoothing of the single-label cross-entropy (0 = off).</summary>
    public double LabelSmoothing { get; init; }
    /// <summary>Causal SFT: pack a batch's examples into rows of up to MaxLength tokens (position ids restart, block-diagonal causal mask).</summary>
    public bool Packing { get; init; }
    /// <summary>Causal LM: next-token loss fused with the vocabulary projection in chunks (<see cref="Models.ChunkedCrossEntropy"/>), never materialising full logits.</summary>
    public bool ChunkedCrossEntropy { get; init; }
    /// <summary>Decoder models: recompute each block in backward instead of keeping its activations (<see cref="Models.Common.ActivationCheckpoint"/>).</summary>
    public bool GradientCheckpointing { get; init; }
    /// <summary>Masked-LM: the fraction of maskable tokens selected for the loss (BERT: 0.15; 80 % [MASK], 10 % random, 10 % kept).</summary>
    public double MlmProbability { get; init; } = 0.15;
    /// <summary>Continued pretraining: tokens per block.</summary>
    public int BlockSize { get; init; } = 512;
    /// <summary>Special tokens to add to the tokenizer; the embeddings grow with mean-initialised rows.</summary>
    public IReadOnlyList<string> NewSpecialTokens { get; init; } = [];
    /// <summary>What happens to SFT / seq2seq examples longer than MaxLength.</summary>
    public TruncationPolicy Truncation { get; init; } = TruncationPolicy.Right;
    /// <summary>Seq2seq: text between the source and the target (the prompt ends with it).</summary>
    public string Separator { get; init; } = "\n";
    /// <summary>Seq2seq and SFT: at most this many validation/test examples are generated for exact match, BLEU, chrF and ROUGE-L (0 = none).</summary>
    public int MaxEvalGenerations { get; init; } = 64;
    /// <summary>Seq2seq and SFT: how evaluation generates (the recipe's <c>generation:</c> section; greedy by default).</summary>
    public Generation.GenerationOptions Generation { get; init; } = new() { MaxNewTokens = 64 };
    /// <summary>Decoder sequence classifiers: "last" (transformers' last non-pad token) or "mean"; null = the checkpoint's choice, else "last".</summary>
    public string? Pooling { get; init; }
    /// <summary>config.json values to override before the model is built, e.g. dropout rates (hidden_dropout_prob, attention_dropout, resid_pdrop).</summary>
    public IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?> ConfigOverrides { get; init; } = new Dictionary<string, System.Text.Json.Nodes.JsonNode?>();
    /// <summary>Device for the model and batches: "cpu", "cuda", "cuda:1".</summary>
    public string Device { get; init; } = "cpu";
}
