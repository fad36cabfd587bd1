using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Training.Adversarial;

/// <summary>
/// SMART's ℓ_s: KL(P‖Q) + KL(Q‖P) between the class distributions of two logit tensors, averaged over the batch.
/// Written as Σ_c (p_c − q_c)(log p_c − log q_c), which is symmetric term by term (so bit-identical when the
/// arguments swap) and exactly zero when the logits are equal.
/// </summary>
public static class SymmetricKl
{
    /// <summary>logits <paramref name="p"/>, <paramref name="q"/> (B, L) → scalar mean over B of the symmetric KL in nats.</summary>
    public static Tensor Of(Tensor p, Tensor q)
    {
        using var scope = NewDisposeScope();
        var logP = nn.functional.log_softmax(p.to_type(ScalarType.Float32), -1);              // (B, L)
        var logQ = nn.functional.log_softmax(q.to_type(ScalarType.Float32), -1);
        return ((logP.exp() - logQ.exp()) * (logP - logQ)).sum(-1).mean().MoveToOuterDisposeScope();
    }
}
