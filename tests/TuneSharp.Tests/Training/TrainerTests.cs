using TuneSharp.Tasks;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training;

[Collection(SequentialCollection.Name)]
public sealed class TrainerTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "tunesharp-trainer-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(root)) Directory.Delete(root, true); }

    static TrainingOptions Options => new()
    {
        Epochs = 3, BatchSize = 4, GradientAccumulationSteps = 2, LearningRate = 3e-3, WarmupSteps = 2,
        LrScheduler = "cosine", SaveSteps = 1, SaveTotalLimit = 2, EvalSteps = 3, LoggingSteps = 1, Seed = 7,
    };

    static List<float> TrainLosses(string run) =>
        MetricsLog.Read(Path.Combine(run, "metrics.jsonl"), "train").Where(e => e["event"] is null).Select(e => (float)(double)e["loss"]!).ToList();

    [Fact]
    public void Loss_falls_and_the_run_folder_has_metrics_and_checkpoints()
    {
        using var task = new TokenStreamTask("tiny-gpt2");
        var run = Path.Combine(root, "a");
        var result = new Trainer(task, Options, run, CPU).Train();
        Assert.Equal(9, result.Steps); // 24 rows / 4 = 6 batches, 2 per step -> 3 steps × 3 epochs
        var losses = TrainLosses(run);
        Assert.Equal(9, losses.Count);
        Assert.True(losses[^1] < losses[0] - 0.5, $"loss did not fall: {string.Join(", ", losses)}");
        var evals = MetricsLog.Read(Path.Combine(run, "metrics.jsonl"), "validation");
        Assert.Equal([3, 6, 9], evals.Select(e => (int)e["step"]!).ToArray());
        var kept = new CheckpointStore(run).List().Select(c => c.Step).ToList();
        Assert.Contains(9, kept);
        Assert.Contains(result.BestStep!.Value, kept);
        Assert.True(kept.Count <= 3);
    }

    [Fact]
    public void Resume_after_an_interruption_reproduces_the_losses_bit_for_bit()
    {
        List<float> uninterrupted;
        using (var task = new TokenStreamTask("tiny-gpt2"))
        {
            new Trainer(task, Options, Path.Combine(root, "full"), CPU).Train();
            uninterrupted = TrainLosses(Path.Combine(root, "full"));
        }

        var run = Path.Combine(root, "interrupted");
        using (var task = new TokenStreamTask("tiny-gpt2"))
        {
            using var cancel = new CancellationTokenSource();
            var progress = new SyncProgress(p => { if (p.Step == 4 && p.Message is null) cancel.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => new Trainer(task, Options, run, CPU).Train(progress: progress, cancel: cancel.Token));
        }
        var latest = new CheckpointStore(run).Latest()!;
        Assert.EndsWith("step-000004", latest, StringComparison.Ordinal);
        using (var task = new TokenStreamTask("tiny-gpt2")) // a fresh process would start from the base weights too
            new Trainer(task, Options, run, CPU).Train(resumeFrom: latest);

        var resumed = TrainLosses(run);
        Assert.Equal(uninterrupted.Count, resumed.Count);
        for (int i = 0; i < resumed.Count; i++)
            Assert.True(BitConverter.SingleToInt32Bits(uninterrupted[i]) == BitConverter.SingleToInt32Bits(resumed[i]),
                $"step {i + 1}: {uninterrupted[i]:R} vs {resumed[i]:R}");
    }

    [Fact]
    public void Non_finite_steps_are_skipped_and_counted()
    {
        using (var task = new TokenStreamTask("tiny-llama") { PoisonCall = call => call is 2 or 3 })
        {
            var run = Path.Combine(root, "nan-skip");
            var result = new Trainer(task, Options with { GradientAccumulationSteps = 1, Epochs = 1 }, run, CPU).Train();
            // One micro-batch per step: calls 2 and 3 are steps whose loss is NaN; both are skipped and logged.
            Assert.Equal(2, result.SkippedSteps);
            Assert.Equal(4, result.Steps); // 6 batches, 2 skipped
            var skippedEvents = MetricsLog.Read(Path.Combine(run, "metrics.jsonl"), "train").Count(e => (string?)e["event"] == "non_finite_skipped");
            Assert.Equal(2, skippedEvents);
        }
    }

    [Fact]
    public void Consecutive_non_finite_steps_stop_with_a_clear_message_and_keep_the_last_checkpoint()
    {
        using var task = new TokenStreamTask("tiny-llama") { PoisonCall = call => call >= 3 };
        var run = Path.Combine(root, "nan-stop");
        var e = Assert.Throws<UserError>(() => new Trainer(task, Options with { GradientAccumulationSteps = 1, MaxNonFiniteSteps = 3 }, run, CPU).Train());
        Assert.Contains("3 non-finite steps in a row", e.Message);
        Assert.Contains("step-000003", e.Message);
        var store = new CheckpointStore(run);
        Assert.Equal(3, store.List()[^1].Step);
        // The last good checkpoint is intact: it loads into a fresh model.
        using var fresh = new TokenStreamTask("tiny-llama");
        CheckpointStore.LoadWeights(store.Latest()!, fresh.Module);
    }

    [Fact]
    public void Eval_strategy_no_evaluates_nothing_during_training_and_epoch_evaluates_at_each_epoch_end()
    {
        using var task = new TokenStreamTask("tiny-gpt2");
        var none = Path.Combine(root, "no-eval");
        var result = new Trainer(task, Options with { EvalStrategy = "no", SaveSteps = 0 }, none, CPU).Train();
        Assert.Equal(9, result.Steps);
        Assert.Empty(MetricsLog.Read(Path.Combine(none, "metrics.jsonl"), "validation"));
        Assert.Null(result.BestStep);
        Assert.Equal([9], new CheckpointStore(none).List().Select(c => c.Step).ToArray()); // the final state is still checkpointed

        using var again = new TokenStreamTask("tiny-gpt2");
        var epochs = Path.Combine(root, "epoch-eval");
        new Trainer(again, Options with { EvalStrategy = "epoch" }, epochs, CPU).Train(); // eval_steps 3 is ignored
        Assert.Equal([3, 6, 9], MetricsLog.Read(Path.Combine(epochs, "metrics.jsonl"), "validation").Select(e => (int)e["step"]!).ToArray());

        var bad = Assert.Throws<UserError>(() => (Options with { EvalStrategy = "never" }).Validate());
        Assert.Contains("eval_strategy", bad.Message, StringComparison.Ordinal);
        Assert.Throws<UserError>(() => (Options with { EvalStrategy = "steps", EvalSteps = 0 }).Validate());
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_weights()
    {
        using var task = new TokenStreamTask("tiny-gpt2");
        var run = Path.Combine(root, "early");
        // A huge threshold means no evaluation after the first counts as an improvement.
        var o = Options with { Epochs = 10, EvalSteps = 1, EarlyStoppingPatience = 2, EarlyStoppingThreshold = 100 };
        var result = new Trainer(task, o, run, CPU).Train();
        Assert.True(result.StoppedEarly);
        Assert.Equal(3, result.Steps);
        Assert.Equal(1, result.BestStep);
        // Restored weights give the best evaluation again.
        var again = task.Evaluate(Split.Validation, 16, CPU)["loss"];
        Assert.Equal(result.BestMetric!.Value, again, 5);
    }

    [Fact]
    public void Bf16_trains_with_fp32_master_weights_and_returns_an_fp32_model()
    {
        // libtorch runs bf16 on CPU too, so the mixed-precision path is tested here; on CUDA it is the same code.
        using var task = new TokenStreamTask("tiny-llama");
        var run = Path.Combine(root, "bf16");
        var result = new Trainer(task, Options with { Bf16 = true, GradientAccumulationSteps = 1, Epochs = 2 }, run, CPU).Train();
        var losses = TrainLosses(run);
        Assert.Equal(12, result.Steps);
        Assert.True(losses[^1] < losses[0] - 0.5, $"bf16 loss did not fall: {string.Join(", ", losses)}");
        Assert.All(task.Module.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype)); // back in fp32 after training
        // Checkpoints hold the fp32 masters.
        using var file = TuneSharp.IO.SafetensorsFile.Open(Path.Combine(new CheckpointStore(run).Latest()!, "trainable.safetensors"));
        Assert.All(file.Tensors, t => Assert.Equal("F32", t.DType));
        // The final weights are the masters, not their bf16 rounding: some value is not representable in bf16.
        var w = task.Module.parameters().First(p => p.dim() == 2);
        using var rounded = w.to_type(ScalarType.BFloat16).to_type(ScalarType.Float32);
        Assert.False(rounded.equal(w).all().item<bool>());
    }

}
