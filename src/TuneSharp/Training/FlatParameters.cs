using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>
/// All trainable weights of a model as one contiguous fp32 buffer (n), and their gradients as one buffer in the
/// model's dtype: each model parameter's .grad is set to a view of that buffer before backward, so autograd
/// accumulates into it in place (libtorch adds into an existing .grad when grad mode is off, as it is in backward).
/// Clipping, the optimizer and zeroing then run on whole buffers: a handful of kernel launches, not one per tensor.
/// The weights go back to the model tensors by one copy per tensor (<see cref="CopyToModel"/>), which also rounds
/// to bf16 when the model computes in bf16. Tensors that take weight decay come first (<see cref="DecayCount"/>).
/// </summary>
public sealed class FlatParameters : IDisposable
{
    readonly List<(string Name, Parameter Model, long Offset)> entries = [];
    readonly Tensor gradBuffer;   // (n), the model's dtype; the model's .grad tensors are views of it
    readonly Tensor? gradFloat;   // (n) fp32 copy of gradBuffer when the model is not fp32

    /// <summary>The fp32 weights (n): the optimizer's master copy.</summary>
    public Tensor Weights { get; }

    /// <summary>The fp32 gradients (n), valid after <see cref="AfterBackward"/>.</summary>
    public Tensor Gradients => gradFloat ?? gradBuffer;

    /// <summary>Per-element learning-rate factors (n) for layer-wise rates; null when every factor is 1.</summary>
    public Tensor? LrScale { get; }

    /// <summary>Elements [0, DecayCount) belong to tensors that take weight decay.</summary>
    public long DecayCount { get; }

    /// <summary>Named fp32 views of <see cref="Weights"/>, one per model tensor, in buffer order (for checkpoints).</summary>
    public IReadOnlyList<(string Name, Tensor Value)> Named { get; }

    /// <param name="trainable">The model's trainable parameters with their names.</param>
    /// <param name="decays">Whether a named tensor takes weight decay.</param>
    /// <param name="lrFactor">Each named tensor's learning-rate factor (layer-wise rates), or null for 1 everywhere.</param>
    /// <param name="initial">fp32 starting values by name, when the model tensors were already rounded (bf16); else the model's values.</param>
    public FlatParameters(IReadOnlyList<(string Name, Parameter Model)> trainable, Func<string, Tensor, bool> decays,
        IReadOnlyDictionary<string, Tensor>? initial = null, Func<string, double>? lrFactor = null)
    {
        if (trainable.Count == 0) throw new UserError("method: every parameter is frozen, nothing to train (check method.freeze or the LoRA target_modules)");
        var ordered = trainable.Where(p => decays(p.Name, p.Model)).Concat(trainable.Where(p => !decays(p.Name, p.Model))).ToList();
        DecayCount = trainable.Where(p => decays(p.Name, p.Model)).Sum(p => p.Model.numel());
        long n = trainable.Sum(p => p.Model.numel());
        var device = trainable[0].Model.device;
        var dtype = trainable[0].Model.dtype;
        if (trainable.Any(p => p.Model.dtype != dtype))
            throw new InvalidOperationException("flat parameters need one dtype for every trainable tensor");
        Weights = empty(n, dtype: ScalarType.Float32, device: device);
        gradBuffer = zeros(n, dtype: dtype, device: device);
        gradFloat = dtype == ScalarType.Float32 ? null : empty(n, dtype: ScalarType.Float32, device: device);
        var named = new List<(string, Tensor)>();
        long offset = 0;
        using (no_grad())
            foreach (var (name, p) in ordered)
            {
                var view = Weights.narrow(0, offset, p.numel()).view(p.shape);
                view.copy_(initial is not null ? initial[name] : p);
                named.Add((name, view));
                entries.Add((name, p, offset));
                offset += p.numel();
            }
        Named = named;
        AttachGradients();
        var factors = ordered.Select(p => lrFactor?.Invoke(p.Name) ?? 1.0).ToList();
        if (factors.Any(f => f != 1.0))
        {
            LrScale = empty(n, dtype: ScalarType.Float32, device: device);
            offset = 0;
            for (int i = 0; i < ordered.Count; i++)
            {
                LrScale.narrow(0, offset, ordered[i].Model.numel()).fill_(factors[i]);
                offset += ordered[i].Model.numel();
            }
        }
    }

    /// <summary>Points every model parameter's .grad at its slice of the gradient buffer.</summary>
    void AttachGradients()
    {
        foreach (var (_, p, offset) in entries) p.grad = gradBuffer.narrow(0, offset, p.numel()).view(p.shape);
    }

    /// <summary>Makes <see cref="Gradients"/> current (one cast when the model is bf16).</summary>
    public void AfterBackward()
    {
        if (gradFloat is null) return;
        using var _ = no_grad();
        gradFloat.copy_(gradBuffer);
    }

    /// <summary>Zeroes the gradients in place (the model's .grad views stay attached).</summary>
    public void ZeroGrad()
    {
        using var _ = no_grad();
        gradBuffer.zero_();
        gradFloat?.zero_();
        // Something may have dropped a .grad (set it to null); re-attach so accumulation lands in the buffer again.
        foreach (var (_, p, _) in entries)
        {
            using var g = p.grad;
            if (g is null) { AttachGradients(); break; }
        }
    }

    /// <summary>L2 norm of all gradients (fp32), and when <paramref name="maxNorm"/> &gt; 0 scales them to at most that.</summary>
    public double ClipGradNorm(double maxNorm)
    {
        using var _ = no_grad();
        double norm = Gradients.norm().item<float>();
        // transformers' (and PyTorch's clip_grad_norm_) coefficient: max / (norm + 1e-6), applied only when below 1.
        if (maxNorm > 0 && double.IsFinite(norm))
        {
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) Gradients.mul_(coef);
        }
        return norm;
    }

    /// <summary>Copies the fp32 weights into the model's tensors (rounding to the model's dtype).</summary>
    public void CopyToModel()
    {
        using var _ = no_grad();
        foreach (var (_, p, offset) in entries) p.copy_(Weights.narrow(0, offset, p.numel()).view(p.shape));
    }

    /// <summary>Detaches the gradient views from the model (at the end of training).</summary>
    public void DetachGradients()
    {
        // After Finish the model may hold new Parameter objects (module.to(float32)); the old ones are gone.
        foreach (var (_, p, _) in entries) if (!p.IsInvalid) p.grad = null;
    }

    public void Dispose()
    {
        DetachGradients();
        Weights.Dispose(); gradBuffer.Dispose(); gradFloat?.Dispose(); LrScale?.Dispose();
    }
}
