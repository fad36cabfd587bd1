using TorchSharp;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training.Adversarial;

/// <summary>
/// PGD (Madry et al. 2018) on the word embeddings: K ascent steps delta ← Π_ε(delta + α·direction(∇_delta loss)),
/// then the parameters train on clean + adversarial loss at the final delta (the common fine-tuning practice;
/// Madry trains on the adversarial loss alone). The ascent steps take gradients of delta only, so the parameters
/// see exactly two backward passes. With init: zero the first step reuses the clean pass's gradient: K + 1 passes.
/// </summary>
public sealed class PgdObjective(PerturbedLoss loss, AdversarialOptions o) : ITrainingObjective
{
    public double Backward(Batch batch, double weight)
    {
        using var scope = NewDisposeScope();
        var mask = loss.Mask(batch);                                                              // (B, T, 1)
        var shape = loss.Shape(batch);
        var device = loss.Embeddings.Device;
        var probe = zeros(shape, ScalarType.Float32, device).requires_grad_(true);             // (B, T, C)
        var clean = loss.At(batch, probe) * weight;
        clean.backward();
        var delta = Attack(batch, mask, DeltaBall.Start(shape, mask, o, device), o.Init == "zero" ? probe.grad : null);
        var adversarial = loss.At(batch, delta) * weight;
        adversarial.backward();
        return clean.item<float>() + adversarial.item<float>();
    }

    /// <summary>The K projected ascent steps from <paramref name="start"/>; <paramref name="firstGrad"/> (the gradient at start, when known) saves a pass.</summary>
    public Tensor Attack(Batch batch, Tensor mask, Tensor start, Tensor? firstGrad = null)
    {
        var delta = start.detach();
        for (int k = 0; k < o.Steps; k++)
        {
            Tensor grad;
            if (k == 0 && firstGrad is not null) grad = firstGrad;
            else
            {
                var d = delta.detach().requires_grad_(true);
                grad = PerturbedLoss.GradOf(loss.At(batch, d), d);
            }
            delta = (DeltaBall.Project(delta + DeltaBall.Direction(grad, mask, o.Norm) * o.StepSize, o.Epsilon, o.Norm) * mask).detach();
        }
        return delta;
    }

    public void AfterOptimizerStep() { }
}
