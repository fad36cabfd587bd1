using static TorchSharp.torch;

namespace TuneSharp.FewShot;

/// <summary>
/// sentence-transformers' CosineSimilarityLoss, SetFit's default: mean squared error between cos(u, v) and the
/// target similarity (1 for a pair of one label, 0 for a pair of two).
/// </summary>
public static class CosineSimilarityLoss
{
    /// <summary><paramref name="u"/>, <paramref name="v"/>: (B, C) embeddings; <paramref name="target"/>: (B,). Returns a scalar.</summary>
    public static Tensor Compute(Tensor u, Tensor v, Tensor target) =>
        nn.functional.mse_loss(nn.functional.cosine_similarity(u, v, dim: 1), target.to_type(u.dtype));
}
