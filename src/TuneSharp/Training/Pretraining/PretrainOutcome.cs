namespace TuneSharp.Training.Pretraining;

/// <summary>What a pretraining run produced.</summary>
public sealed record PretrainOutcome(string ModelDir, long Parameters, long TokensSeen, long TrainTokens, double HeldOutPerplexity, TimeSpan WallTime, TrainResult Result);
