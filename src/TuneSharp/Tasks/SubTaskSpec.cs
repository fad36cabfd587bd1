namespace TuneSharp.Tasks;

/// <summary>
/// One task of a multi-task run: the head's name, its task ("sequence-classification" or "token-classification"),
/// its data and options, its loss weight (fixed weighting) and the metric of its that enters the combined score.
/// </summary>
/// <param name="Name">Head name: letters, digits, '_' and '-'.</param>
/// <param name="Task">sequence-classification | token-classification.</param>
/// <param name="Data">The task's record streams.</param>
/// <param name="Options">The task's options (max_length, fields, labels, pooling, ...).</param>
/// <param name="Weight">Fixed loss weight w_t.</param>
/// <param name="Metric">Metric averaged into "score"; null = accuracy (sequence), f1 (BIO tags) or token_accuracy.</param>
public sealed record SubTaskSpec(string Name, string Task, TaskData Data, TaskOptions Options, double Weight = 1, string? Metric = null)
{
    /// <summary>The tasks a multi-task run can combine.</summary>
    public static readonly string[] Tasks = ["sequence-classification", "token-classification"];
}
