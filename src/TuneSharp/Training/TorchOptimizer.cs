using TorchSharp.Modules;

namespace TuneSharp.Training;

/// <summary>
/// TorchSharp's own optimizers (a C# loop of kernels per parameter), behind <see cref="ITrainingOptimizer"/>.
/// Each parameter group runs at the scheduled rate times its factor (layer-wise learning rates; 1 otherwise).
/// </summary>
public sealed class TorchOptimizer(OptimizerHelper inner, IReadOnlyList<double> groupFactors) : ITrainingOptimizer
{
    public OptimizerHelper Inner => inner;

    /// <summary>Learning-rate factor of each parameter group, in the optimizer's parameter-group order.</summary>
    public IReadOnlyList<double> GroupFactors => groupFactors;

    public void Step() => inner.step();

    public void SetLearningRate(double lr)
    {
        int i = 0;
        foreach (var g in inner.ParamGroups) g.LearningRate = lr * groupFactors[i++];
    }

    public void Save(BinaryWriter writer) => inner.save_state_dict(writer);

    public void Load(BinaryReader reader, string path)
    {
        try { inner.load_state_dict(reader); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            throw new UserError($"{path}: the optimizer state does not match this run's optimizer ({e.Message})");
        }
    }

    public void Dispose() => inner.Dispose();
}
