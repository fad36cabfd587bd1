using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.Models.Bert;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// <see cref="BertForSequenceClassification"/> (pooler → dropout → <c>classifier</c>) seen as an
/// <see cref="IClassifierModel"/>. Keys: <c>bert.*</c> + <c>classifier.weight</c>/<c>classifier.bias</c>.
/// </summary>
public sealed class BertSequenceClassifier : IClassifierModel
{
    /// <summary>The wrapped model (owned).</summary>
    public BertForSequenceClassification Model { get; }

    /// <summary>A fresh model; the classifier is initialised normal(0, initializer_range), bias 0.</summary>
    public BertSequenceClassifier(BertConfig c, Device? device = null, ScalarType? dtype = null, string pooling = SequencePooling.Pooler)
    {
        Model = new BertForSequenceClassification(c, device, dtype, pooling);
        HeadInit.Normal((Linear)Model.classifier, c.initializer_range);
    }

    public nn.Module Module => Model;
    public string Architecture => "BertForSequenceClassification";
    public IReadOnlyList<string> HeadKeys => ["classifier.weight", "classifier.bias"];
    public int NumLabels => Model.Config.num_labels;

    /// <summary>(B, num_labels) logits from the pooled [CLS] position.</summary>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask) => Model.Forward(inputIds, attentionMask);

    public void ResizeTokenEmbeddings(int newVocabSize) => Model.bert.ResizeTokenEmbeddings(newVocabSize);

    public void Dispose() => Model.Dispose();
}
