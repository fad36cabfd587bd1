namespace TuneSharp.Training;

/// <summary>A progress report after an optimizer step (for live displays).</summary>
public sealed record TrainProgress(
    int Step,
    int TotalSteps,
    double Epoch,
    double Loss,
    double LearningRate,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan Eta,
    string? Message = null);

/// <summary>What a finished run produced.</summary>
public sealed record TrainResult(
    int Steps,
    int SkippedSteps,
    double? BestMetric,
    int? BestStep,
    bool StoppedEarly,
    IReadOnlyDictionary<string, double>? FinalValidation);
