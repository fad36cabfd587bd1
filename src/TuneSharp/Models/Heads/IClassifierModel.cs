using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// A transformer body with a classification head, laid out with Hugging Face's keys for its architecture
/// (e.g. <c>model.*</c> + <c>score.weight</c> for LlamaForSequenceClassification), so a saved folder loads in
/// transformers and back here key for key.
/// </summary>
public interface IClassifierModel : IDisposable
{
    /// <summary>The module holding every parameter (body and head), with Hugging Face key names.</summary>
    nn.Module Module { get; }

    /// <summary>The transformers class this layout matches, written to config.json "architectures".</summary>
    string Architecture { get; }

    /// <summary>The head's checkpoint keys (e.g. "score.weight"): freshly initialised unless a checkpoint with the same labels provides them.</summary>
    IReadOnlyList<string> HeadKeys { get; }

    /// <summary>Number of output classes.</summary>
    int NumLabels { get; }

    /// <summary>
    /// Logits: (B, num_labels) for sequence classifiers, (B, T, num_labels) for token classifiers.
    /// input_ids and attention_mask (B, T).
    /// </summary>
    Tensor Logits(Tensor inputIds, Tensor attentionMask);

    /// <summary>Grows the token embeddings to <paramref name="newVocabSize"/> rows (new rows = mean of the old).</summary>
    void ResizeTokenEmbeddings(int newVocabSize);
}
