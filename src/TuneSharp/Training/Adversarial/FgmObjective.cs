using TorchSharp;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training.Adversarial;

/// <summary>
/// FGM (Miyato et al. 2017, "Adversarial training methods for semi-supervised text classification"): one clean
/// forward/backward gives the gradient g at the word embeddings; delta = ε·g/‖g‖₂ (per example) or ε·sign(g) (linf);
/// a second forward/backward at x + delta adds the adversarial loss. The trained objective is clean + adversarial
/// loss, two passes per micro-batch.
/// </summary>
public sealed class FgmObjective(PerturbedLoss loss, AdversarialOptions o) : ITrainingObjective
{
    public double Backward(Batch batch, double weight)
    {
        using var scope = NewDisposeScope();
        var mask = loss.Mask(batch);                                                              // (B, T, 1)
        var probe = zeros(loss.Shape(batch), ScalarType.Float32, loss.Embeddings.Device).requires_grad_(true); // (B, T, C)
        var clean = loss.At(batch, probe) * weight;
        clean.backward();                                                 // parameter grads, and g in probe.grad
        var delta = Perturbation(probe.grad!, mask, o.Epsilon, o.Norm);
        var adversarial = loss.At(batch, delta) * weight;
        adversarial.backward();
        return clean.item<float>() + adversarial.item<float>();
    }

    /// <summary>FGM's delta (B, T, C) from gradient <paramref name="grad"/>: norm exactly ε per example (l2) or every real entry ±ε (linf).</summary>
    public static Tensor Perturbation(Tensor grad, Tensor mask, double epsilon, string norm) =>
        (DeltaBall.Direction(grad, mask, norm) * epsilon).detach();

    public void AfterOptimizerStep() { }
}
