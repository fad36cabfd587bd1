using TorchSharp;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training;

/// <summary>GPU-only checks: they skip themselves (reported as skipped) where CUDA is absent.</summary>
[Collection(SequentialCollection.Name)]
public sealed class CudaTrainingTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "tunesharp-cuda-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(root)) Directory.Delete(root, true); }

    [SkippableFact]
    public void Bf16_training_on_cuda_lowers_the_loss_and_ends_in_fp32()
    {
        Skip.IfNot(cuda.is_available(), "CUDA is not available on this machine");
        using var task = new TokenStreamTask("tiny-llama", device: CUDA);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 4, LearningRate = 3e-3, Bf16 = true, LoggingSteps = 1, Seed = 7 };
        new Trainer(task, options, root, CUDA).Train();
        var losses = MetricsLog.Read(Path.Combine(root, "metrics.jsonl"), "train").Where(e => e["event"] is null).Select(e => (double)e["loss"]!).ToList();
        Assert.True(losses[^1] < losses[0] - 0.5, $"loss did not fall: {string.Join(", ", losses)}");
        Assert.All(task.Module.parameters(), p => { Assert.Equal(ScalarType.Float32, p.dtype); Assert.Equal(DeviceType.CUDA, p.device_type); });
    }

    [SkippableFact]
    public void Random_init_on_cuda_gives_the_same_weights_as_on_cpu()
    {
        Skip.IfNot(cuda.is_available(), "CUDA is not available on this machine");
        using var onCpu = TuneSharp.Models.Pretrained.LoadCausalLM(Fixtures.HfTiny("tiny-llama"));
        using var onCuda = TuneSharp.Models.Pretrained.LoadCausalLM(Fixtures.HfTiny("tiny-llama"), CUDA);
        TuneSharp.Models.WeightInit.Apply(onCpu.Module, 0.02, 5);
        TuneSharp.Models.WeightInit.Apply(onCuda.Module, 0.02, 5);
        var cudaWeights = onCuda.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.cpu());
        foreach (var (name, p) in onCpu.Module.named_parameters())
            Assert.True(p.equal(cudaWeights[name]).item<bool>(), $"{name} differs between CPU and CUDA init");
    }
}
