using TorchSharp;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training.Adversarial;

/// <summary>
/// FreeLB (Zhu et al. 2020, Algorithm 1): delta starts uniform in the ball; each of K steps runs forward/backward at
/// x + delta with the loss divided by K, so the parameters' .grad accumulates the mean of the K adversarial gradients
/// ("free" — the same backward also yields ∇_delta), then delta ascends by α·direction and is projected onto the
/// ε ball. No separate clean pass (with init: zero the first step is the clean loss). K passes per micro-batch.
/// </summary>
public sealed class FreeLbObjective(PerturbedLoss loss, AdversarialOptions o) : ITrainingObjective
{
    public double Backward(Batch batch, double weight)
    {
        using var scope = NewDisposeScope();
        var mask = loss.Mask(batch);                                                              // (B, T, 1)
        var delta = DeltaBall.Start(loss.Shape(batch), mask, o, loss.Embeddings.Device);       // (B, T, C)
        double total = 0;
        for (int k = 0; k < o.Steps; k++)
        {
            var d = delta.detach().requires_grad_(true);
            var stepLoss = loss.At(batch, d) * (weight / o.Steps);
            stepLoss.backward();                                           // adds 1/K of this step's gradient
            total += stepLoss.item<float>();
            if (k + 1 < o.Steps)
                delta = DeltaBall.Project(d.detach() + DeltaBall.Direction(d.grad!, mask, o.Norm) * o.StepSize, o.Epsilon, o.Norm) * mask;
        }
        return total;
    }

    public void AfterOptimizerStep() { }
}
