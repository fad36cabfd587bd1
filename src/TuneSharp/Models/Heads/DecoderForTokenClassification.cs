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
public sealed class DecoderForTokenClassification : nn.Module, IClassifierModel
{
    readonly ICausalLM lm;
    readonly Linear head;
    readonly string headName;
    readonly double dropout;

    /// <summary>Wraps <paramref name="causalLM"/> (now owned by this module) with a fresh head.</summary>
    public DecoderForTokenClassification(ICausalLM causalLM, int numLabels, double initializerRange, double classifierDropout)
        : base(nameof(DecoderForTokenClassification))
    {
        lm = causalLM;
        NumLabels = numLabels;
        dropout = classifierDropout;
        DecoderBody.Register(this, lm);
        var weight = lm.Module.named_parameters().First().parameter;
        head = nn.Linear(lm.Info.HiddenSize, numLabels, hasBias: true, weight.device, weight.dtype);
        HeadInit.Normal(head, initializerRange);
        headName = lm.Info.ModelType == "gpt2" ? "classifier" : "score";
        register_module(headName, head);
        Architecture = DecoderBody.Architecture(lm.Info.ModelType, "ForTokenClassification");
    }

    public nn.Module Module => this;
    public string Architecture { get; }
    public IReadOnlyList<string> HeadKeys => [headName + ".weight", headName + ".bias"];
    public int NumLabels { get; }

    /// <summary>The head layer (<c>score</c> or <c>classifier</c>).</summary>
    public Linear Head => head;

    /// <summary>(B, T, num_labels) logits.</summary>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = lm.HiddenStates(inputIds, attentionMask);                         // (B, T, C)
        hidden = nn.functional.dropout(hidden, dropout, training);
        return head.forward(hidden).MoveToOuterDisposeScope();                         // (B, T, L)
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
