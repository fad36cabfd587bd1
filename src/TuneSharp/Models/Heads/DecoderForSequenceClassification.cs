using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// LlamaForSequenceClassification / Qwen2… / Mistral… / GPT2ForSequenceClassification: the decoder body and
/// <c>score</c> = Linear(hidden, num_labels, bias=false), read at each row's last non-pad token
/// (<see cref="LastTokenPooling"/>). Keys: <c>model.*</c> (or <c>transformer.*</c>) + <c>score.weight</c>.
/// </summary>
public sealed class DecoderForSequenceClassification : nn.Module, IClassifierModel
{
    readonly ICausalLM lm;
    readonly long padTokenId;

    /// <summary>The classification head.</summary>
    public Linear score;

    /// <summary>Wraps <paramref name="causalLM"/> (now owned by this module) with a fresh head initialised normal(0, initializerRange).</summary>
    public DecoderForSequenceClassification(ICausalLM causalLM, int numLabels, long padTokenId, double initializerRange, string pooling = SequencePooling.Last)
        : base(nameof(DecoderForSequenceClassification))
    {
        lm = causalLM;
        Pooling = SequencePooling.Check(pooling, "pooling");
        this.padTokenId = padTokenId;
        NumLabels = numLabels;
        var prefix = DecoderBody.Register(this, lm);
        var weight = lm.Module.named_parameters().First().parameter;
        score = nn.Linear(lm.Info.HiddenSize, numLabels, hasBias: false, weight.device, weight.dtype);
        HeadInit.Normal(score, initializerRange);
        register_module("score", score);
        Architecture = DecoderBody.Architecture(lm.Info.ModelType, "ForSequenceClassification");
        BasePrefix = prefix;
    }

    /// <summary>"last" (transformers' last non-pad token) or "mean" (see <see cref="SequencePooling"/>).</summary>
    public string Pooling { get; }

    /// <summary>"model" or "transformer".</summary>
    public string BasePrefix { get; }

    public nn.Module Module => this;
    public string Architecture { get; }
    public IReadOnlyList<string> HeadKeys => ["score.weight"];
    public int NumLabels { get; }

    /// <summary>The wrapped causal LM (shares the body's parameters).</summary>
    public ICausalLM CausalLM => lm;

    /// <summary>(B, num_labels) logits from each row's pooled hidden state (last non-pad token, or the mean).</summary>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = lm.HiddenStates(inputIds, attentionMask);                       // (B, T, C)
        var pooled = SequencePooling.Pool(hidden, inputIds, padTokenId, Pooling);    // (B, C)
        return score.forward(pooled).MoveToOuterDisposeScope();                      // (B, L)
    }

    public void ResizeTokenEmbeddings(int newVocabSize) => TokenEmbeddings.Resize(lm, newVocabSize);

    /// <summary>Also switches the wrapped causal LM, whose own forward reads its mode (GPT-2's embedding dropout).</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        lm.Module.train(on);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) lm.Dispose();
        base.Dispose(disposing);
    }
}
