using TuneSharp.Tasks;
using TuneSharp.Training;

namespace TuneSharp.Tests.Training;

/// <summary>Helpers of the trainer tests.</summary>
internal static class TrainingTestKit
{
    /// <summary>Every parameter's values by name, copied out (to compare runs bit for bit).</summary>
    public static Dictionary<string, float[]> Weights(ITask task) =>
        task.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
}

/// <summary>IProgress that reports synchronously on the training thread.</summary>
internal sealed class SyncProgress(Action<TrainProgress> report) : IProgress<TrainProgress>
{
    public void Report(TrainProgress value) => report(value);
}
