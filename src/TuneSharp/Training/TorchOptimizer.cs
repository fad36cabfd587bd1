using TorchSharp.Modules;

namespace TuneSharp.Training;

/// <summary>TorchSharp's own optimizers (a C# loop of kernels per parameter), behind <see cref="ITrainingOptimizer"/>.</summary>
public sealed class TorchOptimizer(OptimizerHelper inner) : ITrainingOptimizer
{
    public OptimizerHelper Inner => inner;

    public void Step() => inner.step();

    public void SetLearningRate(double lr)
    {
        foreach (var g in inner.ParamGroups) g.LearningRate = lr;
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
