namespace TuneSharp.Probing;

/// <summary>One probing task across the layers.</summary>
/// <param name="Task">pos or genre.</param>
/// <param name="Classes">Labels seen in the training rows (the probe's outputs).</param>
/// <param name="TrainRows">Rows the probes were fitted on (words or passages).</param>
/// <param name="ValidationRows">Rows the L2 penalty was chosen on.</param>
/// <param name="TestRows">Rows the accuracies are measured on.</param>
/// <param name="MajorityAccuracy">Test accuracy of always predicting the most frequent training label (the floor).</param>
/// <param name="Layers">One score per layer, embeddings first.</param>
/// <param name="FeatureSeconds">Wall time of reading every layer's features for all three splits.</param>
/// <param name="ProbeSeconds">Wall time of fitting all the probes.</param>
public sealed record ProbeTaskResult(string Task, int Classes, int TrainRows, int ValidationRows, int TestRows,
    double MajorityAccuracy, IReadOnlyList<LayerScore> Layers, double FeatureSeconds, double ProbeSeconds)
{
    /// <summary>The layer with the highest test accuracy (the lowest of equals).</summary>
    public LayerScore BestByAccuracy => Layers.MaxBy(l => l.Accuracy)!;

    /// <summary>The layer with the highest selectivity (the lowest of equals).</summary>
    public LayerScore BestBySelectivity => Layers.MaxBy(l => l.Selectivity)!;
}

/// <summary>A whole probing run.</summary>
/// <param name="Model">The encoder folder probed.</param>
/// <param name="Options">What was asked.</param>
/// <param name="Tasks">One result per task.</param>
/// <param name="Seconds">Wall time of the run, loading included.</param>
public sealed record ProbeRun(string Model, ProbeOptions Options, IReadOnlyList<ProbeTaskResult> Tasks, double Seconds);
