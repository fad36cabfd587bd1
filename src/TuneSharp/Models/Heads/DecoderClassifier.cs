using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// What the decoder classifiers share: a causal LM's body registered under transformers' names
/// (<see cref="DecoderBody"/>), a linear head on its hidden states, and the LM's lifetime and train/eval mode.
/// The subclasses differ in the head (bias, name, dropout) and in what they read (pooled row or every position).
/// </summary>
public abstract class DecoderClassifier : nn.Module, IClassifierModel
{
    /// <summary>Wraps <paramref name="causalLM"/> (now owned by this module) and registers its body.</summary>
    private protected DecoderClassifier(string name, ICausalLM causalLM, int numLabels, string kind) : base(name)
    {
        CausalLM = causalLM;
        NumLabels = numLabels;
        BasePrefix = DecoderBody.Register(this, causalLM);
        Architecture = DecoderBody.Architecture(causalLM.Info.ModelType, kind);
    }

    /// <summary>The wrapped causal LM (shares the body's parameters).</summary>
    public ICausalLM CausalLM { get; }

    /// <summary>"model" or "transformer".</summary>
    public string BasePrefix { get; }

    public nn.Module Module => this;
    public string Architecture { get; }
    public abstract IReadOnlyList<string> HeadKeys { get; }
    public int NumLabels { get; }

    /// <inheritdoc/>
    public abstract Tensor Logits(Tensor inputIds, Tensor attentionMask);

    /// <summary>A fresh Linear(hidden, num_labels) on the body's device and dtype, initialised normal(0, initializerRange).</summary>
    private protected Linear NewHead(bool bias, double initializerRange)
    {
        var weight = CausalLM.Module.named_parameters().First().parameter;
        var head = nn.Linear(CausalLM.Info.HiddenSize, NumLabels, hasBias: bias, weight.device, weight.dtype);
        HeadInit.Normal(head, initializerRange);
        return head;
    }

    public void ResizeTokenEmbeddings(int newVocabSize) => TokenEmbeddings.Resize(CausalLM, newVocabSize);

    /// <summary>Also switches the wrapped causal LM, whose own forward reads its mode (GPT-2's embedding dropout).</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        CausalLM.Module.train(on);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) CausalLM.Dispose();
        base.Dispose(disposing);
    }
}
