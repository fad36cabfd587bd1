namespace TuneSharp.Training;

/// <summary>
/// The optimizer as the trainer drives it: one step over the gradients already in place, the learning rate the
/// schedule sets before each step, and its state for checkpoints. Two kinds: TorchSharp's per-tensor AdamW or SGD
/// (<see cref="TorchOptimizer"/>) and <see cref="FlatAdamW"/>.
/// </summary>
public interface ITrainingOptimizer : IDisposable
{
    void Step();

    void SetLearningRate(double lr);

    void Save(BinaryWriter writer);

    /// <summary>Restores the state <see cref="Save"/> wrote; a file from another optimizer kind is a UserError.</summary>
    void Load(BinaryReader reader, string path);
}
