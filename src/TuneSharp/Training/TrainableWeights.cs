using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>
/// The weights the optimizer updates, in one of three layouts:
/// <list type="bullet">
/// <item>fp32, per tensor: the model's trainable parameters themselves, stepped by TorchSharp's optimizers.</item>
/// <item>bf16, per tensor: TorchSharp has no autocast, so mixed precision is done by hand. The model's weights and
/// activations are bf16, and the optimizer steps fp32 master copies ("fp32 master weights"): after backward the
/// bf16 gradients are copied into the masters' fp32 .grad, the optimizer (and clipping) works on the masters, and
/// the model gets the rounded masters back.</item>
/// <item>flat (training.optimizer adamw_flat, fp32 or bf16): the masters are one contiguous fp32 buffer and the
/// gradients one buffer the model's .grad tensors view (<see cref="FlatParameters"/>), stepped by <see cref="FlatAdamW"/>.</item>
/// </list>
/// Checkpoints hold the fp32 values, so a resumed bf16 run continues from exact values.
/// </summary>
public sealed class TrainableWeights : IDisposable
{
    readonly nn.Module module;
    readonly List<(string Name, Parameter Model)> model;
    readonly List<Parameter>? masters; // bf16 per tensor: fp32 copies, same order as `model`
    readonly FlatParameters? flat;
    readonly Func<string, double>? lrFactor;

    /// <param name="module">The model; with bf16 it is converted to bf16 here (and back in <see cref="Finish"/>).</param>
    /// <param name="bf16">bf16 weights and activations with fp32 master weights.</param>
    /// <param name="flat">The flat layout for <see cref="FlatAdamW"/>.</param>
    /// <param name="lrFactor">Each named tensor's learning-rate factor (layer-wise rates); null = 1.</param>
    public TrainableWeights(nn.Module module, bool bf16, bool flat = false, Func<string, double>? lrFactor = null)
    {
        this.module = module;
        this.lrFactor = lrFactor;
        if (!bf16 && !flat)
        {
            model = Trainable(module);
            Optimized = model.Select(p => (p.Name, (Tensor)p.Model)).ToList();
            return;
        }
        using (no_grad())
        {
            var initial = Trainable(module).ToDictionary(p => p.Name, p => p.Model.detach().to_type(ScalarType.Float32).clone(), StringComparer.Ordinal);
            if (bf16) module.to(ScalarType.BFloat16);
            model = Trainable(module); // module.to may have replaced the Parameter objects
            if (flat)
            {
                this.flat = new FlatParameters(model, (name, p) => !OptimizerFactory.IsExemptFromDecay(name, p), initial, lrFactor);
                foreach (var t in initial.Values) t.Dispose();
                Optimized = this.flat.Named;
                return;
            }
            masters = model.Select(p => new Parameter(initial[p.Name], requires_grad: true)).ToList();
        }
        Optimized = model.Select((p, i) => (p.Name, (Tensor)masters[i])).ToList();
    }

    /// <summary>True when the model computes in bf16 with fp32 master weights.</summary>
    public bool MixedPrecision => masters is not null || (flat is not null && model[0].Model.dtype == ScalarType.BFloat16);

    /// <summary>Named fp32 tensors the optimizer steps and the checkpoints hold.</summary>
    public IReadOnlyList<(string Name, Tensor Param)> Optimized { get; }

    static List<(string Name, Parameter Model)> Trainable(nn.Module module) =>
        module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();

    /// <summary>The optimizer for this layout: flat AdamW over the flat buffer, else TorchSharp's over the tensors.</summary>
    public ITrainingOptimizer CreateOptimizer(TrainingOptions o)
    {
        if (flat is not null) return new FlatAdamW(flat, o);
        var parameters = masters is not null
            ? model.Select((p, i) => (p.Name, masters[i])).ToList()
            : model;
        return OptimizerFactory.Create(parameters, o, lrFactor);
    }

    /// <summary>After backward: bf16 gradients into fp32 (per tensor into the masters' .grad; flat, one cast).</summary>
    public void AfterBackward()
    {
        if (flat is not null) { flat.AfterBackward(); return; }
        if (masters is null) return;
        using var _ = no_grad();
        for (int i = 0; i < model.Count; i++)
        {
            using var g = model[i].Model.grad;
            masters[i].grad = g?.to_type(ScalarType.Float32).DetachFromDisposeScope();
            model[i].Model.grad = null;
        }
    }

    /// <summary>The global L2 norm of the gradients the optimizer will use; clipped to <paramref name="maxNorm"/> when &gt; 0.</summary>
    public double ClipGradNorm(double maxNorm)
    {
        if (flat is not null) return flat.ClipGradNorm(maxNorm);
        var parameters = masters ?? model.Select(p => p.Model).ToList();
        if (maxNorm > 0) return nn.utils.clip_grad_norm_(parameters, maxNorm);
        using var scope = NewDisposeScope();
        double sum = 0;
        foreach (var p in parameters)
            if (p.grad is { } g) sum += g.to_type(ScalarType.Float64).pow(2).sum().item<double>();
        return Math.Sqrt(sum);
    }

    /// <summary>Copies the fp32 values into the model's weights (rounded to bf16); also after loading a checkpoint.</summary>
    public void SyncModel()
    {
        if (flat is not null) { flat.CopyToModel(); return; }
        if (masters is null) return;
        using var _ = no_grad();
        for (int i = 0; i < model.Count; i++) model[i].Model.copy_(masters[i]);
    }

    /// <summary>Zeroes every gradient (model and masters).</summary>
    public void ZeroGrad()
    {
        if (flat is not null) { flat.ZeroGrad(); return; }
        foreach (var (_, p) in model) p.grad = null;
        if (masters is not null) foreach (var m in masters) m.grad = null;
    }

    /// <summary>Puts the model back in fp32 with the exact fp32 values (for evaluation and saving).</summary>
    public void Finish()
    {
        flat?.DetachGradients();
        if (!MixedPrecision) { if (flat is not null) flat.CopyToModel(); return; }
        using var _ = no_grad();
        module.to(ScalarType.Float32);
        var values = Optimized.ToDictionary(o => o.Name, o => o.Param, StringComparer.Ordinal);
        foreach (var (name, p) in Trainable(module)) p.copy_(values[name]);
    }

    public void Dispose()
    {
        if (masters is not null) foreach (var m in masters) m.Dispose();
        flat?.Dispose();
    }
}
