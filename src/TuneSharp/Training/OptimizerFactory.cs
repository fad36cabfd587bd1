using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>Builds AdamW or SGD over the trainable parameters, in two groups: with and without weight decay.</summary>
public static class OptimizerFactory
{
    /// <summary>
    /// Biases and normalisation weights get no weight decay (as transformers' Trainer): a parameter is
    /// exempt when it has fewer than 2 dimensions or its name marks a norm layer.
    /// </summary>
    public static bool IsExemptFromDecay(string name, Tensor p) =>
        p.dim() < 2 || name.Contains("norm", StringComparison.OrdinalIgnoreCase) || name.Contains(".ln_", StringComparison.Ordinal);

    /// <summary>
    /// Over the given named parameters (the model's, or bf16 master copies): one group per (learning-rate factor,
    /// decays or not). Without layer-wise rates (<paramref name="lrFactor"/> null: 1 for all) that is two groups,
    /// decayed and exempt.
    /// </summary>
    public static TorchOptimizer Create(IReadOnlyList<(string name, Parameter parameter)> trainable, TrainingOptions o, Func<string, double>? lrFactor = null)
    {
        if (trainable.Count == 0)
            throw new UserError("method: every parameter is frozen, nothing to train (check method.freeze or the LoRA target_modules)");
        var groups = trainable
            .GroupBy(p => (Factor: lrFactor?.Invoke(p.name) ?? 1.0, Decays: !IsExemptFromDecay(p.name, p.parameter)))
            .OrderByDescending(g => g.Key.Factor).ThenByDescending(g => g.Key.Decays)
            .Select(g => (g.Key.Factor, WeightDecay: g.Key.Decays ? o.WeightDecay : 0.0, Parameters: g.Select(p => p.parameter).ToList()))
            .ToList();
        // TorchSharp needs the first group at construction; each group's weight decay and rate are set explicitly.
        var first = groups[0];
        OptimizerHelper inner;
        if (o.Optimizer == "sgd")
        {
            var sgd = optim.SGD(first.Parameters, o.LearningRate * first.Factor, momentum: o.Momentum, weight_decay: first.WeightDecay);
            foreach (var g in groups.Skip(1)) sgd.add_param_group(new SGD.ParamGroup(g.Parameters, o.LearningRate * g.Factor, momentum: o.Momentum, weight_decay: g.WeightDecay));
            inner = sgd;
        }
        else
        {
            var adamw = optim.AdamW(first.Parameters, o.LearningRate * first.Factor, o.AdamBeta1, o.AdamBeta2, o.AdamEpsilon, first.WeightDecay);
            foreach (var g in groups.Skip(1))
                adamw.add_param_group(new AdamW.ParamGroup(g.Parameters, o.LearningRate * g.Factor, o.AdamBeta1, o.AdamBeta2, o.AdamEpsilon, weight_decay: g.WeightDecay));
            inner = adamw;
        }
        return new TorchOptimizer(inner, groups.Select(g => g.Factor).ToList());
    }
}
