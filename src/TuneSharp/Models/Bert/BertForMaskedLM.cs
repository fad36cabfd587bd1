using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Bert;

/// <summary>Keys: dense, LayerNorm. gelu(dense(h)) then LayerNorm, as transformers' BertPredictionHeadTransform.</summary>
public sealed class BertPredictionHeadTransform : nn.Module<Tensor, Tensor>
{
    public Linear dense;
    public LayerNorm LayerNorm;
    readonly string act;

    public BertPredictionHeadTransform(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertPredictionHeadTransform))
    {
        dense = nn.Linear(c.hidden_size, c.hidden_size, true, device, dtype);
        LayerNorm = nn.LayerNorm(c.hidden_size, c.layer_norm_eps, device: device, dtype: dtype);
        act = c.hidden_act;
        RegisterComponents();
    }

    /// <summary>(N, C) or (B, T, C) → same shape.</summary>
    public override Tensor forward(Tensor h)
    {
        using var scope = NewDisposeScope();
        var x = dense.forward(h);
        x = BertIntermediate.Activation(act, x);
        return LayerNorm.forward(x).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Keys: transform.*, bias. The decoder is not a module of its own: its weight IS the word-embedding table
/// (transformers ties cls.predictions.decoder.weight to bert.embeddings.word_embeddings.weight and does not store
/// it), so the logits are transform(h) · Eᵀ + bias.
/// </summary>
public sealed class BertLMPredictionHead : nn.Module
{
    public BertPredictionHeadTransform transform;
    public Parameter bias;

    public BertLMPredictionHead(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertLMPredictionHead))
    {
        transform = new BertPredictionHeadTransform(c, device, dtype);
        bias = new Parameter(zeros(c.vocab_size, dtype: dtype ?? ScalarType.Float32, device: device));
        RegisterComponents();
    }

    /// <summary>Grows the bias (V,) to <paramref name="newVocabSize"/> entries; the new ones are 0.</summary>
    public void ResizeBias(int newVocabSize)
    {
        if (bias.shape[0] == newVocabSize) return;
        using var noGrad = no_grad();
        var grown = zeros(newVocabSize, dtype: bias.dtype, device: bias.device);
        grown.narrow(0, 0, bias.shape[0]).copy_(bias);
        var resized = new Parameter(grown, bias.requires_grad);
        ConditionallyRegisterParameter(nameof(bias), resized);
        bias = resized;
    }
}

/// <summary>Keys: predictions.*.</summary>
public sealed class BertOnlyMLMHead : nn.Module
{
    public BertLMPredictionHead predictions;

    public BertOnlyMLMHead(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertOnlyMLMHead))
    {
        predictions = new BertLMPredictionHead(c, device, dtype);
        RegisterComponents();
    }
}

/// <summary>
/// BertForMaskedLM for continued pretraining of an encoder. Keys: bert.* (embeddings, encoder, and the pooler when
/// the source checkpoint has one, kept so the saved folder still loads into a pooler classifier), cls.predictions.*
/// (transform.dense, transform.LayerNorm, bias), the decoder tied to bert.embeddings.word_embeddings.
/// </summary>
public sealed class BertForMaskedLM : nn.Module
{
    public BertModel bert;
    public BertOnlyMLMHead cls;

    public BertConfig Config { get; }

    /// <summary>The checkpoint keys of the MLM head (freshly initialised when a checkpoint lacks any of them).</summary>
    public static readonly IReadOnlyList<string> HeadKeys =
    [
        "cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
        "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias",
    ];

    public BertForMaskedLM(BertConfig c, Device? device = null, ScalarType? dtype = null, bool addPoolingLayer = false) : base(nameof(BertForMaskedLM))
    {
        Config = c;
        bert = new BertModel(c, device, dtype, addPoolingLayer);
        cls = new BertOnlyMLMHead(c, device, dtype);
        RegisterComponents();
        InitHead();
    }

    /// <summary>The decoder weight (V, C): the word-embedding table itself.</summary>
    public Tensor DecoderWeight => bert.embeddings.word_embeddings.weight!;

    /// <summary>transformers' _init_weights for a fresh head: dense ~ N(0, initializer_range), biases 0, LayerNorm 1 / 0.</summary>
    public void InitHead()
    {
        using var noGrad = no_grad();
        var p = cls.predictions;
        nn.init.normal_(p.transform.dense.weight!, 0.0, Config.initializer_range);
        nn.init.zeros_(p.transform.dense.bias!);
        nn.init.ones_(p.transform.LayerNorm.weight!);
        nn.init.zeros_(p.transform.LayerNorm.bias!);
        nn.init.zeros_(p.bias);
    }

    /// <summary>Logits (B, T, V) at every position.</summary>
    public Tensor Logits(Tensor inputIds, Tensor? attentionMask = null, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        var hidden = bert.HiddenStates(inputIds, attentionMask, tokenTypeIds);                   // (B, T, C)
        return Project(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>Hidden states (..., C) → vocabulary logits (..., V): transform, then the tied decoder and the bias.</summary>
    public Tensor Project(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var h = cls.predictions.transform.forward(hidden);                                       // (..., C)
        return (h.matmul(DecoderWeight.t()) + cls.predictions.bias).MoveToOuterDisposeScope();  // (..., V)
    }

    /// <summary>
    /// Mean cross-entropy over the positions whose label is not -100 (labels (B, T)). Only those rows are projected
    /// onto the vocabulary, so a 15 % masking costs 15 % of the full (B, T, V) logits. No selected position gives 0
    /// (with the graph attached), never NaN.
    /// </summary>
    public Tensor Loss(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var hidden = bert.HiddenStates(inputIds, attentionMask, tokenTypeIds);                   // (B, T, C)
        labels = labels.to(hidden.device).reshape(-1);                                          // (B·T,)
        var selected = labels.ne(-100).nonzero().squeeze(1);                                     // (N,)
        var rows = hidden.reshape(-1, hidden.shape[2]).index_select(0, selected);               // (N, C)
        var logits = Project(rows).to_type(ScalarType.Float32);                                  // (N, V)
        var loss = selected.shape[0] == 0 ? logits.sum() * 0.0
            : nn.functional.cross_entropy(logits, labels.index_select(0, selected));
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Grows the word embeddings and the output bias to <paramref name="newVocabSize"/> (new bias entries 0).</summary>
    public void ResizeTokenEmbeddings(int newVocabSize)
    {
        bert.ResizeTokenEmbeddings(newVocabSize);
        cls.predictions.ResizeBias(newVocabSize);
    }
}
