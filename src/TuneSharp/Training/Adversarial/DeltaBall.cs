using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Training.Adversarial;

/// <summary>
/// The geometry of a perturbation delta (B, T, C) on the word embeddings: the ascent direction, the projection back
/// onto the epsilon ball, and the random start. L2 is per example (the norm over all of its T·C entries, as Miyato
/// et al. and FreeLB measure it); Linf is per element. mask (B, T, 1) is 1 on real tokens, 0 on padding, so
/// padding never moves and never counts toward a norm.
/// </summary>
public static class DeltaBall
{
    const double Tiny = 1e-12;

    /// <summary>Each example's L2 norm (B, 1, 1) over its tokens and channels.</summary>
    public static Tensor RowNorm(Tensor delta) =>
        delta.to_type(ScalarType.Float32).square().sum([1, 2], keepdim: true).sqrt();

    /// <summary>The steepest-ascent direction of gradient <paramref name="grad"/> with unit norm: g/‖g‖₂ per example (l2) or sign(g) (linf).</summary>
    public static Tensor Direction(Tensor grad, Tensor mask, string norm)
    {
        var g = grad.to_type(ScalarType.Float32) * mask;
        return norm == "linf" ? g.sign() : g / (RowNorm(g) + Tiny);
    }

    /// <summary>Delta pulled back into the ball of radius <paramref name="epsilon"/>: rescaled when its L2 norm is larger, clamped element-wise for linf.</summary>
    public static Tensor Project(Tensor delta, double epsilon, string norm)
    {
        if (norm == "linf") return delta.clamp(-epsilon, epsilon);
        var scale = (epsilon / (RowNorm(delta) + Tiny)).clamp_max(1.0);                         // (B, 1, 1)
        return delta * scale;
    }

    /// <summary>
    /// The start of delta (B, T, C) in float32: zeros; uniform (FreeLB: U(−1, 1) per element scaled by ε/√(tokens·C), so
    /// the L2 norm is about ε/√3; linf: U(−ε, ε)); or normal (SMART: N(0, noise_var) per element), then projected.
    /// </summary>
    public static Tensor Start(long[] shape, Tensor mask, AdversarialOptions o, Device device)
    {
        switch (o.Init)
        {
            case "zero": return zeros(shape, ScalarType.Float32, device);
            case "uniform":
                var u = (rand(shape, ScalarType.Float32, device) * 2 - 1) * mask;
                if (o.Norm == "linf") return u * o.Epsilon;
                var entries = mask.sum([1, 2], keepdim: true) * shape[2];                        // (B, 1, 1) tokens · C
                return u * (o.Epsilon / entries.clamp_min(1).sqrt());
            default:
                return Project(randn(shape, ScalarType.Float32, device) * Math.Sqrt(o.NoiseVar) * mask, o.Epsilon, o.Norm);
        }
    }
}
