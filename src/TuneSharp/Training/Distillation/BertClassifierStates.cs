using TuneSharp.Models.Bert;
using TuneSharp.Models.Heads;
using static TorchSharp.torch;

namespace TuneSharp.Training.Distillation;

/// <summary>
/// One forward of a BERT sequence classifier that returns both its logits and every layer's output, so the
/// hidden-state term costs no second pass. Mirrors <see cref="BertForSequenceClassification.Forward"/>.
/// </summary>
public static class BertClassifierStates
{
    /// <summary>Logits (B, L) and the output_hidden_states list (embeddings, then each layer, (B, T, C)).</summary>
    public static (Tensor Logits, IReadOnlyList<Tensor> States) Forward(BertForSequenceClassification m, Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        var states = m.bert.AllHiddenStates(inputIds, attentionMask, tokenTypeIds);
        var hidden = states[^1];                                                                  // (B, T, C)
        var pooled = m.Pooling == SequencePooling.Pooler ? m.bert.pooler!.forward(hidden)         // (B, C)
            : SequencePooling.PoolMasked(hidden, attentionMask.to(hidden.device), m.Pooling);
        double dropout = m.Config.classifier_dropout ?? m.Config.hidden_dropout_prob;
        var logits = m.classifier.forward(nn.functional.dropout(pooled, dropout, m.training));   // (B, L)
        return (logits, states);
    }
}
