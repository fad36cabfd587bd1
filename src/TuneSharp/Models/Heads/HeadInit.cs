using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>Initialises new heads as transformers' <c>_init_weights</c> does for nn.Linear.</summary>
public static class HeadInit
{
    /// <summary>weight ~ normal(0, <paramref name="initializerRange"/>), bias = 0 (config.json "initializer_range", default 0.02).</summary>
    public static void Normal(Linear layer, double initializerRange)
    {
        using var noGrad = no_grad();
        nn.init.normal_(layer.weight!, 0.0, initializerRange);
        if (layer.bias is { } bias) nn.init.zeros_(bias);
    }
}
