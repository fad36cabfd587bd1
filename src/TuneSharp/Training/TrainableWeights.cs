using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>
/// The weights the optimizer updates. In fp32 these are the model's trainable parameters themselves.
/// With bf16 (TrainingOptions.Bf16), TorchSharp has no autocast, so mixed precision is done by hand:
/// the model's weights and activations are bf16, and the optimizer steps fp32 master copies
/// ("fp32 master weights"): after backward the bf16 gradients are copied into the masters' fp32 .grad,
/// the optimizer (and clipping) works on the masters, and the model gets the rounded masters back.
/// Checkpoints hold the fp32 masters, so a resumed bf16 run continues from exact values.
/// </summary>
public sealed class TrainableWeights : IDisposable
{
    readonly nn.Module module;
    readonly List<(string Name, Parameter Model)> model;
    readonly List<Parameter>? masters; // bf16 only: fp32 copies, same order as `model`

    public TrainableWeights(nn.Module module, bool bf16)
    {
        this.module = module;
        if (!bf16)
        {
            model = Trainable(module);
            Optimized = model.Select(p => (p.Name, p.Model)).ToList();
            return;
        }
        using (no_grad())
        {
            var initial = Trainable(module).Select(p => new Parameter(p.Model.detach().to_type(ScalarType.Float32).clone(), requires_grad: true)).ToList();
            module.to(ScalarType.BFloat16);
            model = Trainable(module); // module.to may have replaced the Parameter objects
            masters = initial;
        }
        Optimized = model.Select((p, i) => (p.Name, masters[i])).ToList();
    }

    /// <summary>True when the model computes in bf16 with fp32 master weights.</summary>
    public bool MixedPrecision => masters is not null;

    /// <summary>Named parameters the optimizer steps and the checkpoints hold.</summary>
    public IReadOnlyList<(string Name, Parameter Param)> Optimized { get; }

    static List<(string Name, Parameter Model)> Trainable(nn.Module module) =>
        module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();

    /// <summary>bf16: moves the model's gradients into the masters' fp32 .grad.</summary>
    public void AfterBackward()
    {
        if (masters is null) return;
        using var _ = no_grad();
        for (int i = 0; i < model.Count; i++)
        {
            using var g = model[i].Model.grad;
            masters[i].grad = g?.to_type(ScalarType.Float32).DetachFromDisposeScope();
            model[i].Model.grad = null;
        }
    }

    /// <summary>bf16: copies the masters (rounded) into the model's weights; also after loading a checkpoint.</summary>
    public void SyncModel()
    {
        if (masters is null) return;
        using var _ = no_grad();
        for (int i = 0; i < model.Count; i++) model[i].Model.copy_(masters[i]);
    }

    /// <summary>Zeroes every gradient (model and masters).</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in model) p.grad = null;
        if (masters is not null) foreach (var m in masters) m.grad = null;
    }

    /// <summary>bf16: puts the model back in fp32 with the exact master values (for evaluation and saving).</summary>
    public void Finish()
    {
        if (masters is null) return;
        using var _ = no_grad();
        module.to(ScalarType.Float32);
        var now = Trainable(module);
        for (int i = 0; i < now.Count; i++) now[i].Model.copy_(masters[i]);
    }

    public void Dispose()
    {
        if (masters is not null) foreach (var m in masters) m.Dispose();
    }
}
