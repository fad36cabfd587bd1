using TorchSharp;
using TuneSharp.Models.Bert;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training.Adversarial;

/// <summary>The task's loss with a delta on its word embeddings, and the batch's delta shape and padding mask.</summary>
public sealed class PerturbedLoss(ITask task, InputEmbeddings embeddings)
{
    /// <summary>The task being trained.</summary>
    public ITask Task => task;

    /// <summary>The word embeddings the delta is added to.</summary>
    public InputEmbeddings Embeddings => embeddings;

    /// <summary>(B, T, 1) float32: 1 on real tokens, 0 on padding.</summary>
    public Tensor Mask(Batch batch)
    {
        var ids = batch["input_ids"];
        var mask = batch.Has("attention_mask") ? batch["attention_mask"] : ones_like(ids);
        return mask.to(embeddings.Device).to_type(ScalarType.Float32).unsqueeze(-1);
    }

    /// <summary>(B, T, C), the shape of a delta for <paramref name="batch"/>.</summary>
    public long[] Shape(Batch batch) => [batch["input_ids"].shape[0], batch["input_ids"].shape[1], embeddings.HiddenSize];

    /// <summary>The task's loss with <paramref name="delta"/> (B, T, C) added to the word embeddings; the graph reaches delta.</summary>
    public Tensor At(Batch batch, Tensor delta) => With(delta, () => task.Loss(batch));

    /// <summary>Runs <paramref name="forward"/> with <paramref name="delta"/> added to the word embeddings.</summary>
    public Tensor With(Tensor delta, Func<Tensor> forward)
    {
        using (embeddings.Add(delta.to_type(embeddings.Dtype))) return forward();
    }

    /// <summary>d(output)/d(delta) only, without touching the parameters' .grad (torch.autograd.grad).</summary>
    public static Tensor GradOf(Tensor output, Tensor delta) =>
        torch.autograd.grad([output], [delta])[0];
}
