using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Models.Bert;

/// <summary>Keys: layer.N.</summary>
public sealed class BertEncoder : nn.Module
{
    public ModuleList<BertLayer> layer;

    public BertEncoder(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, c.num_hidden_layers).Select(_ => new BertLayer(c, device, dtype)).ToArray());
        RegisterComponents();
    }
}

/// <summary>Keys: dense. tanh(dense(h[:, 0])).</summary>
public sealed class BertPooler : nn.Module<Tensor, Tensor>
{
    public nn.Module<Tensor, Tensor> dense; // not Linear: a LoRA adapter may stand in

    public BertPooler(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertPooler))
    {
        dense = nn.Linear(c.hidden_size, c.hidden_size, true, device, dtype);
        RegisterComponents();
    }

    /// <summary>hidden (B, T, C) -> pooled (B, C) from the first ([CLS]) position.</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return dense.forward(hidden.select(1, 0)).tanh().MoveToOuterDisposeScope();
    }
}

/// <summary>BertModel. Keys: embeddings, encoder, pooler (absent with addPoolingLayer false, as in BertForTokenClassification).</summary>
public sealed class BertModel : nn.Module
{
    public BertEmbeddings embeddings;
    public BertEncoder encoder;
    public BertPooler? pooler;
    /// <summary>Prompt tuning's soft prompt, prepended to every input (<see cref="AttachPrompt"/>); null = none.</summary>
    public Adapters.PromptTuning.PromptEmbedding? prompt_encoder;

    public BertModel(BertConfig c, Device? device = null, ScalarType? dtype = null, bool addPoolingLayer = true) : base(nameof(BertModel))
    {
        embeddings = new BertEmbeddings(c, device, dtype);
        encoder = new BertEncoder(c, device, dtype);
        if (addPoolingLayer) pooler = new BertPooler(c, device, dtype);
        RegisterComponents();
    }

    /// <summary>
    /// Grows word_embeddings to <paramref name="newVocabSize"/> rows, new rows = the mean of the old ones
    /// (see <see cref="EmbeddingResize"/>), after tokens were added to the tokenizer.
    /// </summary>
    public void ResizeTokenEmbeddings(int newVocabSize) =>
        embeddings.word_embeddings.weight = EmbeddingResize.MeanRows(embeddings.word_embeddings.weight!, newVocabSize);

    /// <summary>
    /// Adds a soft prompt (key prompt_encoder.embedding.weight): from then on every forward sees n virtual tokens before
    /// the input, and returns (B, n+T, C).
    /// </summary>
    public void AttachPrompt(Adapters.PromptTuning.PromptEmbedding prompt)
    {
        prompt_encoder = prompt.AttachTo(this, prompt_encoder);
    }

    /// <summary>The attention mask (B, T) as the encoder sees it: with the prompt's n ones in front when there is one.</summary>
    public Tensor VisibleMask(Tensor attentionMask) => prompt_encoder?.PrependMask(attentionMask) ?? attentionMask;

    /// <summary>Sequence output (B, T, C), or (B, n+T, C) with a soft prompt. token_type_ids default to zeros.</summary>
    public Tensor HiddenStates(Tensor inputIds, Tensor? attentionMask = null, Tensor? tokenTypeIds = null) =>
        Encode(inputIds, attentionMask, tokenTypeIds, everyLayer: null);

    /// <summary>
    /// The output of every layer, as transformers' output_hidden_states: the embeddings' output, then each encoder
    /// block's, num_hidden_layers + 1 tensors of (B, T, C); the last is <see cref="HiddenStates"/>. For probes that read
    /// what each layer represents.
    /// </summary>
    public IReadOnlyList<Tensor> AllHiddenStates(Tensor inputIds, Tensor? attentionMask = null, Tensor? tokenTypeIds = null)
    {
        var everyLayer = new List<Tensor>(encoder.layer.Count + 1);
        Encode(inputIds, attentionMask, tokenTypeIds, everyLayer);
        return everyLayer;
    }

    // The one forward: embeddings, then the blocks. With everyLayer set, each layer's output (B, T, C) is kept there
    // (moved out of the scope); otherwise only the last leaves, so training holds no extra activations.
    Tensor Encode(Tensor inputIds, Tensor? attentionMask, Tensor? tokenTypeIds, List<Tensor>? everyLayer)
    {
        using var scope = NewDisposeScope();
        var device = embeddings.word_embeddings.weight!.device;
        inputIds = inputIds.to(device);
        tokenTypeIds = tokenTypeIds?.to(device) ?? zeros_like(inputIds);
        var x = embeddings.Forward(inputIds, tokenTypeIds, prompt_encoder);                      // (B, T, C) or (B, n+T, C)
        everyLayer?.Add(x.MoveToOuterDisposeScope());
        var mask = AttentionMasks.Padding(attentionMask is null ? null : VisibleMask(attentionMask.to(device)), device);
        foreach (var l in encoder.layer)
        {
            x = l.Forward(x, mask);                                                               // (B, T, C)
            everyLayer?.Add(x.MoveToOuterDisposeScope());
        }
        return everyLayer is null ? x.MoveToOuterDisposeScope() : x;
    }
}

/// <summary>
/// BertForSequenceClassification. Keys: bert.*, classifier. Pooling "pooler" is transformers'
/// head (tanh(dense([CLS]))); "cls" and "mean" read the encoder's states directly and build no pooler (see SequencePooling).
/// </summary>
public sealed class BertForSequenceClassification : nn.Module
{
    public BertModel bert;
    public nn.Module<Tensor, Tensor> classifier; // not Linear: a LoRA adapter may stand in
    readonly double dropout;

    public BertConfig Config { get; }

    /// <summary>"pooler", "cls" or "mean".</summary>
    public string Pooling { get; }

    public BertForSequenceClassification(BertConfig c, Device? device = null, ScalarType? dtype = null, string pooling = "pooler") : base(nameof(BertForSequenceClassification))
    {
        Config = c;
        Pooling = pooling;
        bert = new BertModel(c, device, dtype, addPoolingLayer: pooling == "pooler");
        classifier = nn.Linear(c.hidden_size, c.num_labels, true, device, dtype);
        dropout = c.classifier_dropout ?? c.hidden_dropout_prob;
        RegisterComponents();
    }

    /// <summary>Logits (B, num_labels).</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        var pooled = Pooled(inputIds, attentionMask, tokenTypeIds);                               // (B, C)
        return classifier.forward(nn.functional.dropout(pooled, dropout, training)).MoveToOuterDisposeScope();
    }

    /// <summary>What the classifier reads (B, C): the pooler output, the [CLS] state or the masked mean.</summary>
    public Tensor Pooled(Tensor inputIds, Tensor? attentionMask = null, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        var hidden = bert.HiddenStates(inputIds, attentionMask, tokenTypeIds);                  // (B, T, C); (B, n+T, C) with a prompt
        var pooled = Pooling == "pooler" ? bert.pooler!.forward(hidden)                          // (B, C)
            : Heads.SequencePooling.PoolMasked(hidden, bert.VisibleMask(attentionMask ?? ones_like(inputIds)), Pooling);
        return pooled.MoveToOuterDisposeScope();
    }
}
