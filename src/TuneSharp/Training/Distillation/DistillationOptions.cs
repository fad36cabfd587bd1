namespace TuneSharp.Training.Distillation;

/// <summary>The recipe's <c>distillation:</c> section, resolved (paths absolute).</summary>
public sealed record DistillationOptions
{
    /// <summary>The teacher: a fine-tuned classifier folder with the student's labels and tokenizer.</summary>
    public required string Teacher { get; init; }

    /// <summary>Softmax temperature T of both distributions in the KL term (Hinton et al.: 1–20; DistilBERT 2).</summary>
    public double Temperature { get; init; } = 2.0;

    /// <summary>Weight α of the soft-target term; 1 − α weighs the hard-label loss.</summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>Weight of the hidden-state MSE (0 = off).</summary>
    public double HiddenMse { get; init; }

    /// <summary>Student layer i → teacher layer LayerMap[i] for the hidden-state term; null = <see cref="Distillation.LayerMap.Evenly"/>.</summary>
    public IReadOnlyList<int>? LayerMap { get; init; }
}
