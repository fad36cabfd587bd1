using TorchSharp;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training.Adversarial;

/// <summary>
/// SMART (Jiang et al. 2020): loss + lambda_s · R_s + mu · D_Breg, for single-label sequence classification.
/// R_s = ℓ_s(f(x), f(x + delta)) with ℓ_s the symmetric KL, and delta found from Gaussian noise (variance noise_var)
/// by K projected ascent steps on ℓ_s(f(x + delta), f(x)) (the clean side held fixed); R_s itself is then
/// differentiated through both sides. D_Breg = ℓ_s(f_θ(x), f_θ̃(x)) with θ̃ the parameters' moving average
/// (<see cref="MeanTeacher"/>, momentum beta), which keeps each update close to where training has been.
/// Passes per micro-batch: clean forward, K ascent forward/backward, the adversarial forward, one backward through
/// both, and the teacher's forward when mu > 0. The teacher is not checkpointed: a resumed run starts it again
/// from the weights it resumes with.
/// </summary>
public sealed class SmartObjective(PerturbedLoss loss, SequenceClassificationTask task, AdversarialOptions o) : ITrainingObjective, IDisposable
{
    readonly MeanTeacher? teacher = o.Mu > 0 ? new MeanTeacher(task.Module, o.Beta) : null;

    public double Backward(Batch batch, double weight)
    {
        using var scope = NewDisposeScope();
        var mask = loss.Mask(batch);                                                              // (B, T, 1)
        // The teacher first: it swaps weights in place, which would invalidate a graph already built on them.
        var teacherLogits = teacher?.Predict(() => task.Logits(batch));                        // (B, L), no graph
        var logits = task.Logits(batch).to_type(ScalarType.Float32);                            // (B, L)
        var objective = task.LossOf(logits, batch["labels"]);
        var fixedClean = logits.detach();
        var delta = DeltaBall.Start(loss.Shape(batch), mask, o, loss.Embeddings.Device);       // (B, T, C)
        for (int k = 0; k < o.Steps; k++)
        {
            var d = delta.detach().requires_grad_(true);
            var gap = SymmetricKl.Of(loss.With(d, () => task.Logits(batch)), fixedClean);
            var grad = PerturbedLoss.GradOf(gap, d);
            delta = DeltaBall.Project(d.detach() + DeltaBall.Direction(grad, mask, o.Norm) * o.StepSize, o.Epsilon, o.Norm) * mask;
        }
        var adversarial = loss.With(delta.detach(), () => task.Logits(batch));                 // (B, L)
        objective = objective + SymmetricKl.Of(logits, adversarial) * o.LambdaS;
        if (teacherLogits is not null) objective = objective + SymmetricKl.Of(logits, teacherLogits) * o.Mu;
        var weighted = objective * weight;
        weighted.backward();
        return weighted.item<float>();
    }

    public void AfterOptimizerStep() => teacher?.Update();

    public void Dispose() => teacher?.Dispose();
}
