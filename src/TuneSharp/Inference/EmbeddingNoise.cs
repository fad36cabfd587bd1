using TorchSharp;
using TuneSharp.Models.Bert;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>
/// Robustness to noise on the input: every token's word embedding moved by a Gaussian direction of L2 length exactly
/// <c>norm</c> (per token, so the test does not depend on sentence length), drawn from a generator seeded once, so
/// an evaluation under noise is repeatable. Padding positions are perturbed too, but attention and pooling mask them.
/// </summary>
public static class EmbeddingNoise
{
    /// <summary>Adds the noise to <paramref name="module"/>'s word embeddings until the result is disposed.</summary>
    public static IDisposable Apply(nn.Module module, double norm, long seed)
    {
        if (!(norm > 0) || !double.IsFinite(norm)) throw new UserError($"--embedding-noise: must be > 0, got {norm}");
        var embeddings = InputEmbeddings.Find(module)
            ?? throw new UserError("--embedding-noise: the model has no BERT word embeddings (supported: BERT-family encoders such as MiniLM)");
        var generator = new Generator((ulong)seed);
        return embeddings.Perturb(words => words + Noise(words.shape, norm, generator).to(words.device).to_type(words.dtype));
    }

    /// <summary>(B, T, C) float32 noise, each (B, T) vector of L2 norm <paramref name="norm"/>.</summary>
    public static Tensor Noise(long[] shape, double norm, Generator generator)
    {
        using var scope = NewDisposeScope();
        var n = randn(shape, ScalarType.Float32, generator: generator);
        return (n / n.norm(-1, keepdim: true).clamp_min(1e-12) * norm).MoveToOuterDisposeScope();
    }
}
