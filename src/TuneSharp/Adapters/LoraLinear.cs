using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Gpt2Conv1D = TuneSharp.Models.Gpt2.Conv1D;

namespace TuneSharp.Adapters;

/// <summary>
/// A LoRA layer around a frozen <see cref="Linear"/> (weight (out, in)) or GPT-2 <see cref="Gpt2Conv1D"/>
/// (weight (in, out), PEFT's fan_in_fan_out): <c>y = base(x) + B(A(dropout(x))) · scaling</c>.
/// Keys: <c>base_layer.*</c>, <c>lora_A.weight</c> (r, in), <c>lora_B.weight</c> (out, r), as in a PEFT model
/// (without the adapter name).
/// With DoRA (Liu et al. 2024) the effective weight is <c>W' = m ⊙ (W + s·B·A) / ‖W + s·B·A‖</c>, the norm taken per
/// output row and treated as a constant in backward (the paper's §4.3, as PEFT does); <c>lora_magnitude_vector</c>
/// (out,) is m, initialised to ‖W‖ per row so a fresh adapter changes nothing.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    /// <summary>The wrapped layer; its parameters are frozen.</summary>
    public nn.Module<Tensor, Tensor> base_layer;

    /// <summary>A: in → r, weight (r, in).</summary>
    public Linear lora_A;

    /// <summary>B: r → out, weight (out, r).</summary>
    public Linear lora_B;

    /// <summary>DoRA's magnitude m (out,), or null for plain LoRA.</summary>
    public Parameter? lora_magnitude_vector;

    Tensor? mergedDoraFactor; // m / ‖W + s·B·A‖ (out,) at merge time, to unmerge exactly

    readonly double dropout;
    bool disabled;

    /// <summary>Wraps <paramref name="baseLayer"/> and freezes its parameters.</summary>
    /// <param name="baseLayer">A <see cref="Linear"/> or a GPT-2 <see cref="Gpt2Conv1D"/>.</param>
    /// <param name="r">The rank.</param>
    /// <param name="scaling">The multiplier of B·A (lora_alpha / r, or / sqrt(r) for rsLoRA).</param>
    /// <param name="dropout">Dropout probability on the LoRA branch input, applied in training mode only.</param>
    /// <param name="initLoraWeights">True: B = 0 (a no-op adapter). False: B random too (PEFT's test init).</param>
    /// <param name="useDora">DoRA: add the magnitude vector, initialised to the row norms of W + s·B·A.</param>
    /// <exception cref="ArgumentException">The base layer is neither Linear nor Conv1D, or r is not positive.</exception>
    public LoraLinear(nn.Module<Tensor, Tensor> baseLayer, int r, double scaling, double dropout, bool initLoraWeights, bool useDora = false)
        : base(nameof(LoraLinear))
    {
        if (r <= 0) throw new ArgumentException($"rank must be positive, got {r}", nameof(r));
        base_layer = baseLayer;
        var weight = WeightOf(baseLayer);
        FanInFanOut = baseLayer is Gpt2Conv1D;
        // Linear stores (out, in); Conv1D stores (in, out).
        InFeatures = FanInFanOut ? weight.shape[0] : weight.shape[1];
        OutFeatures = FanInFanOut ? weight.shape[1] : weight.shape[0];
        Rank = r;
        Scaling = scaling;
        this.dropout = dropout;

        // PEFT keeps LoRA weights in float32 under a float16/bfloat16 base (autocast_adapter_dtype).
        var dtype = weight.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? ScalarType.Float32 : weight.dtype;
        lora_A = nn.Linear(InFeatures, r, hasBias: false, weight.device, dtype);
        lora_B = nn.Linear(r, OutFeatures, hasBias: false, weight.device, dtype);
        if (weight.device_type != DeviceType.META)
            using (no_grad())
            {
                // kaiming_uniform_(a = sqrt 5) on (r, in): gain sqrt(2 / (1 + 5)) · sqrt(3 / in) = 1 / sqrt(in).
                double boundA = 1.0 / Math.Sqrt(InFeatures);
                nn.init.uniform_(lora_A.weight!, -boundA, boundA);
                // B: zeros (PEFT's default), or nn.Linear's own init on (out, r), bound 1 / sqrt(r).
                if (initLoraWeights) nn.init.zeros_(lora_B.weight!);
                else nn.init.uniform_(lora_B.weight!, -1.0 / Math.Sqrt(r), 1.0 / Math.Sqrt(r));
            }
        if (useDora)
            using (no_grad())
                lora_magnitude_vector = new Parameter(weight.device_type == DeviceType.META
                    ? empty(OutFeatures, dtype: dtype, device: weight.device)
                    : RowNorms().to_type(dtype).DetachFromDisposeScope());
        foreach (var p in baseLayer.parameters()) p.requires_grad = false;
        RegisterComponents();
    }

    /// <summary>‖W + s·B·A‖ per output row (out,), computed in float32 without gradient.</summary>
    Tensor RowNorms()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var w = BaseWeight.to_type(ScalarType.Float32);
        var outIn = FanInFanOut ? w.t() : w;                                     // (out, in)
        var delta = lora_B.weight!.to_type(ScalarType.Float32).matmul(lora_A.weight!.to_type(ScalarType.Float32)) * Scaling;
        return (outIn + delta).norm(1, keepdim: false).MoveToOuterDisposeScope();   // (out,)
    }

    /// <summary>The rank r.</summary>
    public int Rank { get; }

    /// <summary>The multiplier of B·A.</summary>
    public double Scaling { get; }

    /// <summary>True for a Conv1D base, whose weight is (in, out).</summary>
    public bool FanInFanOut { get; }

    /// <summary>Input width of the base layer.</summary>
    public long InFeatures { get; }

    /// <summary>Output width of the base layer.</summary>
    public long OutFeatures { get; }

    /// <summary>True while scaling · B·A is added into the base weight.</summary>
    public bool Merged { get; private set; }

    /// <summary>
    /// When true the layer computes the base output only. Disabling a merged layer unmerges it first (as PEFT does),
    /// so the base weight is the original again.
    /// </summary>
    public bool Disabled
    {
        get => disabled;
        set
        {
            if (value && Merged) Unmerge();
            disabled = value;
        }
    }

    /// <summary>The base layer's weight: (out, in) for Linear, (in, out) for Conv1D.</summary>
    public Parameter BaseWeight => WeightOf(base_layer);

    /// <summary>x (..., in) → (..., out).</summary>
    public override Tensor forward(Tensor x)
    {
        if (disabled || Merged) return base_layer.forward(x);
        using var scope = NewDisposeScope();
        var y = base_layer.forward(x);                                       // (..., out)
        var loraType = lora_A.weight!.dtype;
        var h = x.dtype == loraType ? x : x.to_type(loraType);               // (..., in)
        if (dropout > 0) h = nn.functional.dropout(h, dropout, training);
        var delta = lora_B.forward(lora_A.forward(h)) * Scaling;            // (..., r) → (..., out)
        if (lora_magnitude_vector is { } m)
        {
            // x·W'ᵀ = (m/‖·‖)·(x·Wᵀ + s·B(A(x))): the base output without bias is recomputed on the (dropped-out) input.
            var scale = m / RowNorms().to_type(m.dtype);                                  // (out,), norm detached
            var w = BaseWeight.to_type(loraType);
            var direction = nn.functional.linear(h, FanInFanOut ? w.t() : w);             // (..., out)
            delta = (scale - 1) * direction + scale * delta;
        }
        if (delta.dtype != y.dtype) delta = delta.to_type(y.dtype);
        return (y + delta).MoveToOuterDisposeScope();
    }

    /// <summary>W += scaling · B·A (transposed for Conv1D). A second call does nothing.</summary>
    /// <exception cref="InvalidOperationException">The adapter is disabled.</exception>
    public void Merge()
    {
        if (Merged) return;
        if (disabled) throw new InvalidOperationException("cannot merge a disabled LoRA layer: enable it first");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var w = BaseWeight;
        if (lora_magnitude_vector is { } m)
        {
            // W ← (m / ‖W + s·B·A‖) ⊙ (W + s·B·A), row by row (columns for Conv1D's (in, out) layout).
            var factor = (m.to_type(ScalarType.Float32) / RowNorms()).DetachFromDisposeScope();   // (out,)
            var shaped = FanInFanOut ? factor.unsqueeze(0) : factor.unsqueeze(1);
            w.copy_(((w.to_type(ScalarType.Float32) + DeltaWeight().to_type(ScalarType.Float32)) * shaped).to_type(w.dtype));
            mergedDoraFactor = factor;
        }
        else w.add_(DeltaWeight().to_type(w.dtype));
        Merged = true;
    }

    /// <summary>W -= scaling · B·A, restoring the base weight (up to float rounding). Does nothing when not merged.</summary>
    public void Unmerge()
    {
        if (!Merged) return;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var w = BaseWeight;
        if (mergedDoraFactor is { } factor)
        {
            var shaped = FanInFanOut ? factor.unsqueeze(0) : factor.unsqueeze(1);
            w.copy_((w.to_type(ScalarType.Float32) / shaped - DeltaWeight().to_type(ScalarType.Float32)).to_type(w.dtype));
            factor.Dispose();
            mergedDoraFactor = null;
        }
        else w.sub_(DeltaWeight().to_type(w.dtype));
        Merged = false;
    }

    /// <summary>scaling · B·A in the base weight's layout: (out, in), or (in, out) for Conv1D.</summary>
    public Tensor DeltaWeight()
    {
        using var scope = NewDisposeScope();
        var delta = lora_B.weight!.matmul(lora_A.weight!) * Scaling;      // (out, r) @ (r, in) = (out, in)
        return (FanInFanOut ? delta.t() : delta).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Detaches and returns the base layer, then disposes A and B. The caller puts the base layer back in the
    /// model; this layer is unusable afterwards.
    /// </summary>
    internal nn.Module<Tensor, Tensor> Release()
    {
        var inner = base_layer;
        register_module(nameof(base_layer), null!); // unregistered children are not disposed with this module
        Dispose();
        return inner;
    }

    /// <summary>The weight of a Linear or Conv1D layer.</summary>
    internal static Parameter WeightOf(nn.Module<Tensor, Tensor> layer) => layer switch
    {
        Linear l => l.weight!,
        Gpt2Conv1D c => c.weight,
        _ => throw new ArgumentException($"LoRA wraps Linear or GPT-2 Conv1D layers, not {layer.GetType().Name}", nameof(layer)),
    };

    /// <summary>True for layer types LoRA can wrap.</summary>
    internal static bool CanWrap(nn.Module module) => module is Linear or Gpt2Conv1D;
}
