namespace TuneSharp.Data.Audit;

/// <summary>Settings of <see cref="LabelNoiseAudit"/>.</summary>
public sealed record AuditOptions
{
    /// <summary>The field holding the text to classify.</summary>
    public string TextField { get; init; } = "text";
    /// <summary>The field holding the label (string, number or boolean; compared by its text).</summary>
    public string LabelField { get; init; } = "label";
    /// <summary>Number of stratified folds for out-of-fold probabilities.</summary>
    public int Folds { get; init; } = 5;
    /// <summary>Seed of the fold split and of the classifier's training.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>The classifier (null: <see cref="HashedTfidfLogisticRegression"/> with defaults).</summary>
    public ITextClassifierTrainer? Classifier { get; init; }
    /// <summary>Folds trained in parallel (each holds its own weights: 2^18 floats per class).</summary>
    public int Parallelism { get; init; } = Math.Max(1, Environment.ProcessorCount);
}
