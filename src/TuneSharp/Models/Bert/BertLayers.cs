using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Models.Bert;

/// <summary>Keys: word_embeddings, position_embeddings, token_type_embeddings, LayerNorm.</summary>
public sealed class BertEmbeddings : nn.Module
{
    public Embedding word_embeddings, position_embeddings, token_type_embeddings;
    public LayerNorm LayerNorm;
    readonly double dropout;

    /// <summary>
    /// Adversarial training and robustness evaluation: when set, applied to the word embeddings (B, T, C) before the
    /// position and token-type embeddings are added and before LayerNorm, where FGM, FreeLB and SMART perturb the
    /// input. Null (the default) leaves the forward as transformers computes it.
    /// </summary>
    public Func<Tensor, Tensor>? WordPerturbation { get; set; }

    public BertEmbeddings(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertEmbeddings))
    {
        word_embeddings = Embeddings.Create(c.vocab_size, c.hidden_size, device, dtype, c.pad_token_id);
        position_embeddings = Embeddings.Create(c.max_position_embeddings, c.hidden_size, device, dtype);
        token_type_embeddings = Embeddings.Create(c.type_vocab_size, c.hidden_size, device, dtype);
        LayerNorm = nn.LayerNorm(c.hidden_size, c.layer_norm_eps, device: device, dtype: dtype);
        dropout = c.hidden_dropout_prob;
        RegisterComponents();
    }

    /// <summary>
    /// input_ids, token_type_ids (B, T) -> (B, T, C); with a soft <paramref name="prompt"/> (prompt tuning) its n vectors
    /// stand before the word embeddings, as PEFT passes inputs_embeds: (B, n+T, C), positions 0..n+T-1, token type 0.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor tokenTypeIds, Adapters.PromptTuning.PromptEmbedding? prompt = null)
    {
        using var scope = NewDisposeScope();
        var words = word_embeddings.forward(inputIds);                                                          // (B, T, C)
        // Adversarial perturbations act on the input's own word embeddings, before a soft prompt joins them.
        if (WordPerturbation is { } perturb) words = perturb(words);
        if (prompt is not null)
        {
            words = prompt.Prepend(words);                                                                      // (B, n+T, C)
            tokenTypeIds = cat([zeros(tokenTypeIds.shape[0], prompt.Count, dtype: tokenTypeIds.dtype, device: tokenTypeIds.device), tokenTypeIds], 1);
        }
        var positions = arange(words.shape[1], dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);  // (1, T)
        var x = words + token_type_embeddings.forward(tokenTypeIds) + position_embeddings.forward(positions);
        return nn.functional.dropout(LayerNorm.forward(x), dropout, training).MoveToOuterDisposeScope();
    }
}

/// <summary>Keys: query, key, value.</summary>
public sealed class BertSelfAttention : nn.Module
{
    // Declared as Module<Tensor, Tensor> (not the sealed Linear) so a LoRA adapter can stand in for one.
    public nn.Module<Tensor, Tensor> query, key, value;
    readonly int heads;
    readonly double dropout;

    public BertSelfAttention(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertSelfAttention))
    {
        heads = c.num_attention_heads; dropout = c.attention_probs_dropout_prob;
        query = nn.Linear(c.hidden_size, c.hidden_size, true, device, dtype);
        key = nn.Linear(c.hidden_size, c.hidden_size, true, device, dtype);
        value = nn.Linear(c.hidden_size, c.hidden_size, true, device, dtype);
        RegisterComponents();
    }

    /// <summary>x (B, T, C), mask (B, 1, 1, T) or null -> context (B, T, C).</summary>
    public Tensor Forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        long B = x.shape[0], T = x.shape[1], C = x.shape[2], hd = C / heads;
        var q = query.forward(x).view(B, T, heads, hd).transpose(1, 2); // (B, nh, T, hd)
        var k = key.forward(x).view(B, T, heads, hd).transpose(1, 2);
        var v = value.forward(x).view(B, T, heads, hd).transpose(1, 2);
        var y = nn.functional.scaled_dot_product_attention(q, k, v, mask, p: training ? dropout : 0.0);
        return y.transpose(1, 2).reshape(B, T, C).MoveToOuterDisposeScope();
    }
}

/// <summary>dense + dropout + residual + LayerNorm (post-LN). Used as attention.output and as output.</summary>
public sealed class BertResidualOutput : nn.Module
{
    public nn.Module<Tensor, Tensor> dense; // not Linear: a LoRA adapter may stand in
    public LayerNorm LayerNorm;
    readonly double dropout;

    public BertResidualOutput(BertConfig c, long inFeatures, Device? device, ScalarType? dtype) : base(nameof(BertResidualOutput))
    {
        dense = nn.Linear(inFeatures, c.hidden_size, true, device, dtype);
        LayerNorm = nn.LayerNorm(c.hidden_size, c.layer_norm_eps, device: device, dtype: dtype);
        dropout = c.hidden_dropout_prob;
        RegisterComponents();
    }

    public Tensor Forward(Tensor h, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.dropout(dense.forward(h), dropout, training);
        return LayerNorm.forward(y + residual).MoveToOuterDisposeScope();
    }
}

/// <summary>Keys: self, output.</summary>
public sealed class BertAttention : nn.Module
{
    public BertSelfAttention self;
    public BertResidualOutput output;

    public BertAttention(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(c, device, dtype);
        output = new BertResidualOutput(c, c.hidden_size, device, dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        return output.Forward(self.Forward(x, mask), x).MoveToOuterDisposeScope();
    }
}

/// <summary>Keys: dense (hidden -> intermediate).</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    public nn.Module<Tensor, Tensor> dense; // not Linear: a LoRA adapter may stand in
    readonly string act;

    /// <summary>BERT's hidden_act on <paramref name="x"/>: relu, gelu_new (tanh approximation) or gelu (exact, erf).</summary>
    internal static Tensor Activation(string act, Tensor x) => act switch
    {
        "relu" => nn.functional.relu(x),
        "gelu_new" => nn.functional.gelu(x, GELU.Approximate.tanh),
        _ => nn.functional.gelu(x), // exact (erf) GELU, as BERT's "gelu"
    };

    public BertIntermediate(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertIntermediate))
    {
        dense = nn.Linear(c.hidden_size, c.intermediate_size, true, device, dtype);
        act = c.hidden_act;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = dense.forward(x);
        h = Activation(act, h);
        return h.MoveToOuterDisposeScope();
    }
}

/// <summary>Keys: attention, intermediate, output.</summary>
public sealed class BertLayer : nn.Module
{
    public BertAttention attention;
    public BertIntermediate intermediate;
    public BertResidualOutput output;

    public BertLayer(BertConfig c, Device? device, ScalarType? dtype) : base(nameof(BertLayer))
    {
        attention = new BertAttention(c, device, dtype);
        intermediate = new BertIntermediate(c, device, dtype);
        output = new BertResidualOutput(c, c.intermediate_size, device, dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor? mask)
    {
        using var scope = NewDisposeScope();
        var a = attention.Forward(x, mask);
        return output.Forward(intermediate.forward(a), a).MoveToOuterDisposeScope();
    }
}
