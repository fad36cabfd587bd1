using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models;

/// <summary>
/// Hugging Face's `_init_weights` for the families here: weights of linear and embedding layers from
/// N(0, initializer_range), biases 0, normalisation weights 1 (and LayerNorm biases 0). Used for models
/// trained from scratch and for the random-init baseline. The normal draws come from a seeded CPU generator
/// whatever the parameter's device (a CPU generator cannot fill a CUDA tensor), so a seed gives the same weights
/// on CPU and on a GPU.
/// </summary>
public static class WeightInit
{
    public static void Apply(nn.Module module, double initializerRange, long seed)
    {
        var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            bool isNorm = name.Contains("norm", StringComparison.OrdinalIgnoreCase) || name.Contains(".ln_", StringComparison.Ordinal);
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else if (isNorm) p.fill_(1.0);
            else if (p.device_type == DeviceType.CPU) p.normal_(0, initializerRange, generator);
            else
            {
                using var draw = empty(p.shape, p.dtype).normal_(0, initializerRange, generator);
                p.copy_(draw);
            }
        }
    }
}
