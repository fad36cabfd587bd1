using TuneSharp.Tasks;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training;

[Collection(SequentialCollection.Name)]
public sealed class FlatAdamWTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "tunesharp-flat-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(root)) Directory.Delete(root, true); }

    // Weight decay on, so both the decayed and the exempt segment are exercised; clipping off, since the flat
    // path takes one norm over the buffer where clip_grad_norm_ sums per-tensor norms (same value, other rounding).
    static TrainingOptions Options => new()
    {
        Epochs = 2, BatchSize = 4, GradientAccumulationSteps = 2, LearningRate = 3e-3, WarmupSteps = 2, WeightDecay = 0.1,
        MaxGradNorm = 0, LrScheduler = "cosine", SaveSteps = 2, LoggingSteps = 1, Seed = 7,
    };

    static Dictionary<string, float[]> Weights(ITask task) => TrainingTestKit.Weights(task);

    [Theory]
    [InlineData("tiny-gpt2")]
    [InlineData("tiny-llama")]
    public void Flat_adamw_gives_the_same_weights_bit_for_bit_as_torchsharp_adamw_on_cpu(string fixture)
    {
        Dictionary<string, float[]> plain, flat;
        using (var task = new TokenStreamTask(fixture))
        {
            new Trainer(task, Options, Path.Combine(root, "plain"), CPU).Train();
            plain = Weights(task);
        }
        using (var task = new TokenStreamTask(fixture))
        {
            new Trainer(task, Options with { Optimizer = "adamw_flat" }, Path.Combine(root, "flat"), CPU).Train();
            flat = Weights(task);
        }
        Assert.Equal(plain.Keys.Order(), flat.Keys.Order());
        foreach (var (name, w) in plain)
            Assert.True(w.AsSpan().SequenceEqual(flat[name]), $"{fixture}: {name} differs between adamw and adamw_flat");
        Assert.Contains(plain, kv => kv.Value.Any(v => v != 0)); // the models trained to something
    }

    [Fact]
    public void Flat_adamw_resumes_exactly_from_its_checkpoint()
    {
        var options = Options with { Optimizer = "adamw_flat" };
        Dictionary<string, float[]> straight;
        using (var task = new TokenStreamTask("tiny-gpt2"))
        {
            new Trainer(task, options, Path.Combine(root, "straight"), CPU).Train();
            straight = Weights(task);
        }
        var run = Path.Combine(root, "resumed");
        using (var task = new TokenStreamTask("tiny-gpt2"))
        {
            using var cancel = new CancellationTokenSource();
            var stopAt4 = new SyncProgress(p => { if (p.Step == 4 && p.Message is null) cancel.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => new Trainer(task, options, run, CPU).Train(progress: stopAt4, cancel: cancel.Token));
        }
        var checkpoint = new CheckpointStore(run).List().Single(c => c.Step == 4).Dir;
        using (var task = new TokenStreamTask("tiny-gpt2"))
        {
            new Trainer(task, options, run, CPU).Train(resumeFrom: checkpoint);
            foreach (var (name, w) in Weights(task))
                Assert.True(w.AsSpan().SequenceEqual(straight[name]), $"{name} differs after resuming");
        }
    }

    [Fact]
    public void A_checkpoint_of_the_other_optimizer_is_one_clear_error()
    {
        var run = Path.Combine(root, "torch");
        using (var task = new TokenStreamTask("tiny-gpt2"))
            new Trainer(task, Options with { MaxSteps = 2 }, run, CPU).Train();
        var checkpoint = new CheckpointStore(run).Latest()!;
        using var again = new TokenStreamTask("tiny-gpt2");
        var error = Assert.Throws<UserError>(() => new Trainer(again, Options with { Optimizer = "adamw_flat" }, run, CPU).Train(resumeFrom: checkpoint));
        Assert.Contains("optimizer.bin", error.Message);
    }

    [Fact]
    public void A_truncated_flat_state_is_one_clear_error()
    {
        var run = Path.Combine(root, "torn");
        using (var task = new TokenStreamTask("tiny-gpt2"))
            new Trainer(task, Options with { Optimizer = "adamw_flat", MaxSteps = 2 }, run, CPU).Train();
        var checkpoint = new CheckpointStore(run).Latest()!;
        var state = Path.Combine(checkpoint, "optimizer.bin");
        var bytes = File.ReadAllBytes(state);
        File.WriteAllBytes(state, bytes[..(bytes.Length / 2)]);
        using var again = new TokenStreamTask("tiny-gpt2");
        var error = Assert.Throws<UserError>(() => new Trainer(again, Options with { Optimizer = "adamw_flat" }, run, CPU).Train(resumeFrom: checkpoint));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Flat_clipping_scales_the_gradient_norm_to_the_maximum()
    {
        using var a = zeros(3, 4, requires_grad: true);
        using var b = zeros(5, requires_grad: true);
        var named = new List<(string, TorchSharp.Modules.Parameter)> { ("a.weight", new(a)), ("a.bias", new(b)) };
        using var flat = new FlatParameters(named, (name, _) => name.EndsWith("weight", StringComparison.Ordinal));
        Assert.Equal(12, flat.DecayCount);
        using (var loss = (named[0].Item2 * 3).sum() + (named[1].Item2 * 4).sum()) loss.backward();
        flat.AfterBackward();
        double norm = flat.ClipGradNorm(1.0);
        Assert.Equal(Math.Sqrt(12 * 9 + 5 * 16), norm, 4);
        Assert.Equal(1.0, flat.Gradients.norm().item<float>(), 4);
        flat.ZeroGrad();
        Assert.Equal(0f, flat.Gradients.abs().sum().item<float>());
    }

}
