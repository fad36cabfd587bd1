using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// LlamaForSequenceClassification / Qwen2… / Mistral… / GPT2ForSequenceClassification: the decoder body and
/// <c>score</c> = Linear(hidden, num_labels, bias=false), read at each row's last non-pad token
/// (<see cref="LastTokenPooling"/>). Keys: <c>model.*</c> (or <c>transformer.*</c>) + <c>score.weight</c>.
/// </summary>
public sealed class DecoderForSequenceClassification : DecoderClassifier
{
    readonly long padTokenId;

    /// <summary>The classification head.</summary>
    public Linear score;

    /// <summary>Wraps <paramref name="causalLM"/> (now owned by this module) with a fresh head initialised normal(0, initializerRange).</summary>
    public DecoderForSequenceClassification(ICausalLM causalLM, int numLabels, long padTokenId, double initializerRange, string pooling = SequencePooling.Last)
        : base(nameof(DecoderForSequenceClassification), causalLM, numLabels, "ForSequenceClassification")
    {
        Pooling = SequencePooling.Check(pooling, "pooling");
        this.padTokenId = padTokenId;
        score = NewHead(bias: false, initializerRange);
        register_module("score", score);
    }

    /// <summary>"last" (transformers' last non-pad token) or "mean" (see <see cref="SequencePooling"/>).</summary>
    public string Pooling { get; }

    public override IReadOnlyList<string> HeadKeys => ["score.weight"];

    /// <summary>(B, num_labels) logits from each row's pooled hidden state (last non-pad token, or the mean).</summary>
    public override Tensor Logits(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = CausalLM.HiddenStates(inputIds, attentionMask);                 // (B, T, C)
        var pooled = SequencePooling.Pool(hidden, inputIds, padTokenId, Pooling);    // (B, C)
        return score.forward(pooled).MoveToOuterDisposeScope();                      // (B, L)
    }
}
