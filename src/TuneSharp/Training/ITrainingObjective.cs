using TuneSharp.Tasks;

namespace TuneSharp.Training;

/// <summary>
/// What the trainer does with one micro-batch: the forward and backward passes that put its share of the step's
/// gradient into the parameters' .grad. The plain objective is one pass of the task's loss (<see cref="PlainObjective"/>);
/// adversarial objectives (Training/Adversarial/) need several passes per micro-batch and a hook after each step.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>
    /// Forward and backward of <paramref name="batch"/>, the objective scaled by <paramref name="weight"/> (the batch's
    /// share of the step's loss tokens) before backward, so gradients accumulate across micro-batches. Returns the
    /// weighted objective's value, for the log.
    /// </summary>
    double Backward(Batch batch, double weight);

    /// <summary>Called after each optimizer step, once the model holds the new weights (SMART's mean teacher moves here).</summary>
    void AfterOptimizerStep();
}

/// <summary>The task's own loss, one forward and one backward.</summary>
public sealed class PlainObjective(ITask task) : ITrainingObjective
{
    public double Backward(Batch batch, double weight)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var weighted = task.Loss(batch) * weight;
        weighted.backward();
        return weighted.item<float>();
    }

    public void AfterOptimizerStep() { }
}
