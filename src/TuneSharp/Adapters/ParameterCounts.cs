using System.Globalization;
using static TorchSharp.torch;

namespace TuneSharp.Adapters;

/// <summary>Trainable and total parameter counts (elements), printed as PEFT's <c>print_trainable_parameters</c> does.</summary>
/// <param name="Trainable">Elements in parameters with requires_grad.</param>
/// <param name="All">Elements in all parameters (a tied parameter counts once).</param>
public sealed record ParameterCounts(long Trainable, long All)
{
    /// <summary>100 · Trainable / All.</summary>
    public double TrainablePercent => All == 0 ? 0 : 100.0 * Trainable / All;

    /// <summary>Counts the parameters of <paramref name="module"/>.</summary>
    public static ParameterCounts Of(nn.Module module)
    {
        long trainable = 0, all = 0;
        foreach (var p in module.parameters())
        {
            all += p.numel();
            if (p.requires_grad) trainable += p.numel();
        }
        return new ParameterCounts(trainable, all);
    }

    /// <summary><c>trainable params: 8,192 || all params: 1,061,376 || trainable%: 0.7718</c></summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"trainable params: {Trainable:N0} || all params: {All:N0} || trainable%: {TrainablePercent:F4}");
}
