using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Training.Curriculum;

/// <summary>Difficulty scores of the training examples, one per example in the task's order (higher = harder).</summary>
public static class ExampleDifficulty
{
    /// <summary>Token length: longer examples are harder (the classic curriculum for sequence models).</summary>
    public static double[] Lengths(ITask task) => task.TrainLengths.Select(l => (double)l).ToArray();

    /// <summary>
    /// Each training example's loss under <paramref name="task"/>'s model as it is now (eval mode, no dropout, no
    /// gradient): a batch of one, so the value is that example's mean over its own loss tokens.
    /// </summary>
    public static double[] Losses(ITask task, Device device)
    {
        var module = task.Module;
        bool training = module.training;
        module.eval();
        try
        {
            using var _ = no_grad();
            var losses = new double[task.Count(Split.Train)];
            for (int i = 0; i < losses.Length; i++)
            {
                using var scope = NewDisposeScope();
                using var batch = task.Collate(Split.Train, [i], device);
                losses[i] = task.Loss(batch).item<float>();
            }
            return losses;
        }
        finally { module.train(training); }
    }
}
