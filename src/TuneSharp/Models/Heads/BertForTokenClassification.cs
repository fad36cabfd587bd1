using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.Models.Bert;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// BertForTokenClassification: BERT without its pooler, dropout, and <c>classifier</c> = Linear(hidden, num_labels)
/// on every position. Keys: <c>bert.*</c> (no <c>bert.pooler.*</c>) + <c>classifier.weight</c>/<c>classifier.bias</c>.
/// </summary>
public sealed class BertForTokenClassification : nn.Module, IClassifierModel
{
    public BertModel bert;
    public Linear classifier;
    readonly double dropout;

    /// <summary>A fresh model; the classifier is initialised normal(0, initializer_range), bias 0.</summary>
    public BertForTokenClassification(BertConfig c, Device? device = null, ScalarType? dtype = null) : base(nameof(BertForTokenClassification))
    {
        bert = new BertModel(c, device, dtype, addPoolingLayer: false);
        classifier = nn.Linear(c.hidden_size, c.num_labels, true, device, dtype);
        HeadInit.Normal(classifier, c.initializer_range);
        dropout = c.classifier_dropout ?? c.hidden_dropout_prob;
        NumLabels = c.num_labels;
        RegisterComponents();
    }

    public nn.Module Module => this;
    public string Architecture => "BertForTokenClassification";
    public IReadOnlyList<string> HeadKeys => ["classifier.weight", "classifier.bias"];
    public int NumLabels { get; }

    /// <summary>(B, T, num_labels) logits.</summary>
    public Tensor Logits(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = bert.HiddenStates(inputIds, attentionMask);                       // (B, T, C)
        return classifier.forward(nn.functional.dropout(hidden, dropout, training)).MoveToOuterDisposeScope();
    }

    public void ResizeTokenEmbeddings(int newVocabSize) => bert.ResizeTokenEmbeddings(newVocabSize);
}
