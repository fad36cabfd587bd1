using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Training.Adversarial;

/// <summary>
/// SMART's θ̃ for the Bregman proximal point step with momentum: an exponential moving average of the trainable
/// parameters, θ̃ ← β·θ̃ + (1 − β)·θ after each optimizer step, kept in float32. Its predictions are made by
/// swapping θ̃ into the module's parameters for one no-grad, eval-mode forward and swapping θ back, so no second
/// copy of the model is built. Parameters frozen at the first step equal their θ̃ and are not copied (under gradual
/// unfreezing, those opened later count at their current value).
/// </summary>
public sealed class MeanTeacher(nn.Module module, double beta) : IDisposable
{
    List<(Parameter Param, Tensor Average)>? averages;

    // Captured at the first use, not in the constructor: mixed bf16 replaces the module's Parameter objects when
    // training starts, and the teacher must hold the ones the forward reads.
    List<(Parameter Param, Tensor Average)> Averages => averages ??= module.parameters().Where(p => p.requires_grad)
        .Select(p => (p, p.detach().to_type(ScalarType.Float32).clone().DetachFromDisposeScope())).ToList();

    /// <summary>Moves θ̃ toward the current θ.</summary>
    public void Update()
    {
        using var _ = no_grad();
        foreach (var (p, average) in Averages) average.mul_(beta).add_(p.detach().to_type(ScalarType.Float32), alpha: 1 - beta);
    }

    /// <summary><paramref name="forward"/> run with θ̃ in place of θ, in eval mode and without a graph.</summary>
    public Tensor Predict(Func<Tensor> forward)
    {
        using var _ = no_grad();
        var saved = Averages.Select(a => a.Param.detach().clone()).ToList();
        bool training = module.training;
        try
        {
            foreach (var (p, average) in Averages) p.copy_(average);
            module.eval();
            return forward();
        }
        finally
        {
            for (int i = 0; i < saved.Count; i++) { Averages[i].Param.copy_(saved[i]); saved[i].Dispose(); }
            module.train(training);
        }
    }

    public void Dispose()
    {
        if (averages is null) return;
        foreach (var (_, average) in averages) average.Dispose();
        averages = null;
    }
}
