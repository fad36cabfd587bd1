namespace TuneSharp.Reporting;

/// <summary>
/// The chart files <see cref="RunPlots.Write(string, string)"/> wrote, as names relative to its output folder (so a report
/// in the same folder can link them); null where that chart had nothing to show.
/// </summary>
public sealed record PlotFiles(string? Loss, string? Metrics, string? LearningRate)
{
    /// <summary>The charts that were written, in report order.</summary>
    public IEnumerable<(string Title, string File)> All()
    {
        if (Loss is not null) yield return ("Training and validation loss", Loss);
        if (Metrics is not null) yield return ("Validation metrics", Metrics);
        if (LearningRate is not null) yield return ("Learning rate", LearningRate);
    }
}
