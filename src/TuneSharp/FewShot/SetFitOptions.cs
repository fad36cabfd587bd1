namespace TuneSharp.FewShot;

/// <summary>
/// SetFit's contrastive stage, with setfit's TrainingArguments names and defaults (num_iterations 20, batch_size 16,
/// body_learning_rate 2e-5, num_epochs 1). <paramref name="max_pairs"/> caps the generated pairs (none = no cap):
/// on a CPU, 2 · 20 · N pairs for N = 15 · 64 examples is 38,400 pairs, more than a few-shot curve can afford.
/// </summary>
public sealed record SetFitOptions(int num_iterations = 20, int batch_size = 16, double learning_rate = 2e-5, int epochs = 1,
    int? max_pairs = null, double warmup_ratio = 0.1);
