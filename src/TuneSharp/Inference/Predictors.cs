using TorchSharp;
using TuneSharp.Runtime;
using TuneSharp.Tasks;

namespace TuneSharp.Inference;

/// <summary>Builds the <see cref="IPredictor"/> of a task on a trained model folder.</summary>
public static class Predictors
{
    /// <summary>
    /// Checks the task name and the model folder (cheap errors first), then loads the model in eval mode on
    /// <see cref="PredictOptions.Device"/>. Every problem is a one-line <see cref="UserError"/>.
    /// </summary>
    public static IPredictor Create(PredictOptions options)
    {
        options.Validate();
        if (!TaskBuilder.Names.Contains(options.Task))
            throw new UserError($"task: '{options.Task}' is not a task (tasks: {string.Join(", ", TaskBuilder.Names)})");
        var o = options with { ModelDir = ModelFolderCheck.Require(options.ModelDir) };
        var device = DeviceSelection.Resolve(o.Device);
        return o.Task switch
        {
            "sequence-classification" => new SequenceClassifierPredictor(o, device),
            "token-classification" => new TokenClassifierPredictor(o, device),
            "causal-lm-sft" => new GenerationPredictor(CausalLMKind.Sft, o, device),
            "seq2seq" => new GenerationPredictor(CausalLMKind.Seq2Seq, o, device),
            _ => new GenerationPredictor(CausalLMKind.Pretraining, o, device),
        };
    }
}
