using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// LlamaForTokenClassification (Qwen2/Mistral alike) and GPT2ForTokenClassification: dropout, then a biased
/// Linear(hidden, num_labels) on every position. transformers names that layer <c>score</c> for the Llama family
/// (GenericForTokenClassification) and <c>classifier</c> for GPT-2; dropout is config.json's classifier_dropout,
/// else hidden_dropout, else 0.1.
/// </summary>
public sealed class DecoderForTokenClassification : DecoderClassifier
{
    readonly Linear head;
    readonly string headName;
    readonly double dropout;

    /// <summary>Wraps <paramref name="causalLM"/> (now owned by this module) with a fresh head.</summary>
    public DecoderForTokenClassification(ICausalLM causalLM, int numLabels, double initializerRange, double classifierDropout)
        : base(nameof(DecoderForTokenClassification), causalLM, numLabels, "ForTokenClassification")
    {
        dropout = classifierDropout;
        head = NewHead(bias: true, initializerRange);
        headName = causalLM.Info.ModelType == "gpt2" ? "classifier" : "score";
        register_module(headName, head);
    }

    public override IReadOnlyList<string> HeadKeys => [headName + ".weight", headName + ".bias"];

    /// <summary>The head layer (<c>score</c> or <c>classifier</c>).</summary>
    public Linear Head => head;

    /// <summary>(B, T, num_labels) logits.</summary>
    public override Tensor Logits(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = CausalLM.HiddenStates(inputIds, attentionMask);                   // (B, T, C)
        hidden = nn.functional.dropout(hidden, dropout, training);
        return head.forward(hidden).MoveToOuterDisposeScope();                         // (B, T, L)
    }
}
