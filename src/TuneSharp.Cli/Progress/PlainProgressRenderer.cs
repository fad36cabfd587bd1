using TuneSharp.Training;

namespace TuneSharp.Cli.Progress;

/// <summary>One line per report, for logs: nothing is redrawn, so every line stays readable in a CI log or a file.</summary>
sealed class PlainProgressRenderer(TextWriter output) : TrainProgressRenderer
{
    // Reports can come from the training thread while another thread prints; a line must never be interleaved.
    readonly Lock gate = new();

    public override void Report(TrainProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            // An evaluation report repeats the step's numbers without a training loss; its message is the news.
            output.WriteLine(value.Message ?? ProgressText.Line(value));
            output.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) lock (gate) output.Flush();
    }
}
