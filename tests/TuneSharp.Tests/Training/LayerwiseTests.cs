using TuneSharp.Tasks;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training;

[Collection(SequentialCollection.Name)]
public sealed class LayerwiseTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "tunesharp-layerwise-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(root)) Directory.Delete(root, true); }

    static TrainingOptions Options => new()
    {
        Epochs = 1, BatchSize = 4, LearningRate = 3e-3, WeightDecay = 0.1, LrScheduler = "constant", LoggingSteps = 1, Seed = 7,
        EvalStrategy = "no", SaveStrategy = "no",
    };

    static Dictionary<string, float[]> Weights(ITask task) => TrainingTestKit.Weights(task);

    [Theory]
    [InlineData("bert.embeddings.word_embeddings.weight", 0)]
    [InlineData("bert.encoder.layer.0.attention.self.query.weight", 1)]
    [InlineData("bert.encoder.layer.5.output.dense.lora_A.weight", 6)]
    [InlineData("model.layers.1.mlp.up_proj.weight", 2)]
    [InlineData("model.embed_tokens.weight", 0)]
    [InlineData("transformer.h.11.attn.c_attn.weight", 12)]
    [InlineData("transformer.wpe.weight", 0)]
    [InlineData("classifier.weight", 13)]
    [InlineData("model.norm.weight", 13)]
    public void Depth_follows_the_hugging_face_names(string name, int depth) => Assert.Equal(depth, LayerGroups.Depth(name, 12));

    [Fact]
    public void Each_group_runs_at_the_scheduled_rate_divided_by_the_decay_per_level()
    {
        using var task = new TokenStreamTask("tiny-llama"); // 2 blocks: depths 0 (embeddings), 1, 2, 3 (norm, lm_head)
        var named = task.Module.named_parameters().Select(p => (p.name, p.parameter)).ToList();
        using var optimizer = OptimizerFactory.Create(named, Options, name => LayerGroups.LrFactor(name, LayerGroups.Blocks(named.Select(p => p.name)), 2.6));
        optimizer.SetLearningRate(1e-3);
        var groups = optimizer.Inner.ParamGroups.Cast<TorchSharp.Modules.ParamGroup>().ToList();
        foreach (var (name, p) in named)
        {
            int depth = LayerGroups.Depth(name, 2);
            var group = groups.Single(g => g.Parameters.Any(q => ReferenceEquals(q, p)));
            Assert.Equal(1e-3 / Math.Pow(2.6, 3 - depth), group.LearningRate, 12);
        }
        var keys = named.Select(p => (LayerGroups.Depth(p.name, 2), OptimizerFactory.IsExemptFromDecay(p.name, p.parameter))).Distinct().Count();
        Assert.Equal(keys, groups.Count); // one group per (depth, decayed or exempt) present
    }

    [Fact]
    public void Frozen_bottom_layers_stay_bit_identical_and_the_rest_trains()
    {
        using var task = new TokenStreamTask("tiny-llama");
        var before = Weights(task);
        LayerGroups.FreezeBottom(task.Module, 1); // embeddings + layer 0
        new Trainer(task, Options, Path.Combine(root, "frozen"), CPU).Train();
        foreach (var (name, after) in Weights(task))
        {
            bool frozen = LayerGroups.Depth(name, 2) <= 1;
            Assert.Equal(frozen, after.AsSpan().SequenceEqual(before[name]));
        }
    }

    [Theory]
    [InlineData(2, false)] // steps 0–1: the top group only
    [InlineData(3, true)]  // step 2 opens layer 1 (depth 2)
    public void Gradual_unfreezing_opens_the_next_group_at_the_scheduled_step(int steps, bool layer1Trained)
    {
        using var task = new TokenStreamTask("tiny-llama");
        var before = Weights(task);
        new Trainer(task, Options with { MaxSteps = steps, GradualUnfreezing = true, UnfreezeEverySteps = 2 }, Path.Combine(root, $"u{steps}"), CPU).Train();
        foreach (var (name, after) in Weights(task))
        {
            bool changed = !after.AsSpan().SequenceEqual(before[name]);
            int depth = LayerGroups.Depth(name, 2);
            bool expected = depth == 3 || (depth == 2 && layer1Trained);
            Assert.True(expected == changed, $"{name} (depth {depth}) changed={changed} after {steps} steps");
        }
        Assert.All(task.Module.parameters(), p => Assert.True(p.requires_grad)); // restored at the end
        var events = MetricsLog.Read(Path.Combine(root, $"u{steps}", "metrics.jsonl"), "train").Where(e => (string?)e["event"] == "unfrozen").ToList();
        Assert.Equal(steps == 3 ? [0, 2] : [0], events.Select(e => (int)e["step"]!).ToArray());
    }

    [Fact]
    public void Flat_adamw_with_layerwise_rates_matches_the_per_tensor_optimizer()
    {
        Dictionary<string, float[]> plain, flat;
        var options = Options with { LayerwiseLrDecay = 2.6, MaxGradNorm = 0 };
        using (var task = new TokenStreamTask("tiny-gpt2")) { new Trainer(task, options, Path.Combine(root, "p"), CPU).Train(); plain = Weights(task); }
        using (var task = new TokenStreamTask("tiny-gpt2")) { new Trainer(task, options with { Optimizer = "adamw_flat" }, Path.Combine(root, "f"), CPU).Train(); flat = Weights(task); }
        // Not bit-identical: the flat step multiplies the moment by the factor where TorchSharp folds it into the
        // step size, and Adam's normalisation amplifies that last-bit difference for near-zero gradients over 6 steps.
        foreach (var (name, w) in plain)
            Assert.True(w.Zip(flat[name]).All(x => Math.Abs(x.First - x.Second) <= 1e-5), $"{name} differs by {w.Zip(flat[name]).Max(x => Math.Abs(x.First - x.Second))}");
    }

    [Fact]
    public void Contradictory_or_bad_keys_are_one_clear_error()
    {
        Assert.Contains("training.gradual_unfreezing", Assert.Throws<UserError>(() => (Options with { GradualUnfreezing = true, Optimizer = "adamw_flat" }).Validate()).Message);
        Assert.Contains("training.layerwise_lr_decay", Assert.Throws<UserError>(() => (Options with { LayerwiseLrDecay = 0.5 }).Validate()).Message);
        using var task = new TokenStreamTask("tiny-llama");
        Assert.Contains("method.freeze_layers", Assert.Throws<UserError>(() => LayerGroups.FreezeBottom(task.Module, 5)).Message);
    }
}
