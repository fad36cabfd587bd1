using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// One head of a <see cref="MultiTaskModel"/> seen as an <see cref="IClassifierModel"/>, so the single-task code
/// (SequenceClassificationTask, TokenClassificationTask, the predictors) runs on it unchanged. <see cref="Module"/>
/// is the whole shared model: eval mode and no_grad over it cover the encoder. The view disposes the shared model
/// only when it owns it (inference loads one model per head view; training shares one model among several views).
/// </summary>
public sealed class MultiTaskHead(MultiTaskModel model, string name, bool ownsModel) : IClassifierModel
{
    /// <summary>The shared model.</summary>
    public MultiTaskModel Shared => model;

    /// <summary>The head's name.</summary>
    public string Name => name;

    public nn.Module Module => model;
    public string Architecture => MultiTaskModel.Architecture;
    public IReadOnlyList<string> HeadKeys => [$"heads.{name}.weight", $"heads.{name}.bias"];
    public int NumLabels => model.Spec(name).Labels.Count;

    /// <summary>(B, num_labels) or (B, T, num_labels) logits of this head.</summary>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask) => model.Logits(name, inputIds, attentionMask);

    /// <summary>As <see cref="Logits(Tensor, Tensor)"/> with BERT token type ids (text pairs).</summary>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds) => model.Logits(name, inputIds, attentionMask, tokenTypeIds);

    public void ResizeTokenEmbeddings(int newVocabSize) => model.bert.ResizeTokenEmbeddings(newVocabSize);

    public void Dispose()
    {
        if (ownsModel) model.Dispose();
    }
}
