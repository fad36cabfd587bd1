using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models.Bert;

/// <summary>
/// The BERT word embeddings inside a module (every <see cref="BertEmbeddings"/> it holds: one for a classifier,
/// one shared encoder for multi-task), where adversarial training and the embedding-noise evaluation act. A
/// perturbation is set for the length of a <c>using</c> block and cleared after, even when the forward throws.
/// </summary>
public sealed class InputEmbeddings
{
    readonly BertEmbeddings[] embeddings;

    InputEmbeddings(BertEmbeddings[] embeddings) => this.embeddings = embeddings;

    /// <summary>The word embeddings of <paramref name="module"/>, or null when it has none (a decoder, say).</summary>
    public static InputEmbeddings? Find(nn.Module module)
    {
        var found = module.modules().OfType<BertEmbeddings>().Distinct().ToArray();
        return found.Length == 0 ? null : new InputEmbeddings(found);
    }

    /// <summary>Hidden size C of the word embeddings.</summary>
    public long HiddenSize => embeddings[0].word_embeddings.weight!.shape[1];

    /// <summary>dtype of the word embeddings (bf16 under mixed precision); a delta is made in it.</summary>
    public ScalarType Dtype => embeddings[0].word_embeddings.weight!.dtype;

    /// <summary>Device of the word embeddings.</summary>
    public Device Device => embeddings[0].word_embeddings.weight!.device;

    /// <summary>Applies <paramref name="perturb"/> ((B, T, C) word embeddings → (B, T, C)) until the result is disposed.</summary>
    public IDisposable Perturb(Func<Tensor, Tensor> perturb)
    {
        foreach (var e in embeddings) e.WordPerturbation = perturb;
        return new Clear(embeddings);
    }

    /// <summary>Adds <paramref name="delta"/> (B, T, C) to the word embeddings until the result is disposed.</summary>
    public IDisposable Add(Tensor delta) => Perturb(words => words + delta);

    sealed class Clear(BertEmbeddings[] embeddings) : IDisposable
    {
        public void Dispose() { foreach (var e in embeddings) e.WordPerturbation = null; }
    }
}
