using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>Which part of the data a call is about.</summary>
public enum Split { Train, Validation, Test }

/// <summary>Metrics of one evaluation pass: name → value (e.g. "loss", "accuracy", "macro_f1"), plus a settings line.</summary>
public sealed record EvalResult(IReadOnlyDictionary<string, double> Metrics, string Settings, string ReportMarkdown)
{
    public double this[string name] => Metrics[name];

    /// <summary>Single-label classification: each example's true and predicted label, in split order (for bootstrap intervals).</summary>
    public LabelPredictions? Predictions { get; init; }

    /// <summary>Seq2seq and SFT: the generated examples the generation metrics were computed on, in split order.</summary>
    public IReadOnlyList<GeneratedExample>? Generations { get; init; }
}

/// <summary>One evaluation generation: the prompt as decoded, the reference and the generated text (both trimmed).</summary>
public sealed record GeneratedExample(string Prompt, string Reference, string Generated);

/// <summary>True and predicted class names of a split, example by example.</summary>
public sealed record LabelPredictions(IReadOnlyList<string> Truth, IReadOnlyList<string> Predicted, IReadOnlyList<string> Labels);

/// <summary>
/// A fine-tuning task bound to a model and tokenized data: a head, a loss, a collator and its metrics.
/// The trainer only sees this: it shuffles example indices, asks for batches, calls Loss, steps the
/// optimizer, and calls Evaluate. Examples are addressed by index so that the data position is
/// reproducible for exact resume.
/// </summary>
public interface ITask : IDisposable
{
    /// <summary>Task name for reports, e.g. "sequence-classification".</summary>
    string Name { get; }

    /// <summary>Every module that takes part in training (base model + heads, adapters injected).</summary>
    nn.Module Module { get; }

    /// <summary>Number of examples in a split (0 when the split is absent).</summary>
    int Count(Split split);

    /// <summary>Token length of each training example (for length-grouped batching).</summary>
    IReadOnlyList<int> TrainLengths { get; }

    /// <summary>Collates the given examples of a split into a batch on <paramref name="device"/>.</summary>
    Batch Collate(Split split, IReadOnlyList<int> indices, Device device);

    /// <summary>The scalar training loss of a batch (mean over its loss tokens), with the graph attached.</summary>
    Tensor Loss(Batch batch);

    /// <summary>Evaluates a split in eval mode under no_grad: loss and the task's metrics.</summary>
    EvalResult Evaluate(Split split, int batchSize, Device device);

    /// <summary>Saves what a user deploys: the full model folder, or the adapter (PEFT format) plus saved heads.</summary>
    void Save(string dir);
}
