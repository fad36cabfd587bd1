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

    /// <summary>Over the given named parameters (the model's, or bf16 master copies).</summary>
    public static OptimizerHelper Create(IReadOnlyList<(string name, Parameter parameter)> trainable, TrainingOptions o)
    {
        if (trainable.Count == 0)
            throw new UserError("method: every parameter is frozen, nothing to train (check method.freeze or the LoRA target_modules)");
        var decay = trainable.Where(p => !IsExemptFromDecay(p.name, p.parameter)).Select(p => p.parameter).ToList();
        var exempt = trainable.Where(p => IsExemptFromDecay(p.name, p.parameter)).Select(p => p.parameter).ToList();
        // TorchSharp needs a non-empty first group; the weight decay of each group is set explicitly.
        double firstDecay = o.WeightDecay;
        if (decay.Count == 0) { (decay, exempt) = (exempt, decay); firstDecay = 0; }
        if (o.Optimizer == "sgd")
        {
            var sgd = optim.SGD(decay, o.LearningRate, momentum: o.Momentum, weight_decay: firstDecay);
            if (exempt.Count > 0) sgd.add_param_group(new SGD.ParamGroup(exempt, o.LearningRate, momentum: o.Momentum, weight_decay: 0));
            return sgd;
        }
        var adamw = optim.AdamW(decay, o.LearningRate, o.AdamBeta1, o.AdamBeta2, o.AdamEpsilon, firstDecay);
        if (exempt.Count > 0) adamw.add_param_group(new AdamW.ParamGroup(exempt, o.LearningRate, o.AdamBeta1, o.AdamBeta2, o.AdamEpsilon, weight_decay: 0));
        return adamw;
    }
}
