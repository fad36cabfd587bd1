using Spectre.Console;
using TuneSharp.Training;

namespace TuneSharp.Cli.Progress;

/// <summary>
/// The live display of <c>tunesharp train</c>: a progress bar on a terminal, one plain line per report when the
/// output is redirected (CI logs, files). Reports may come from the training thread; every renderer is thread-safe.
/// Dispose it when training ends so that the last state is drawn and the terminal is left clean.
/// </summary>
public abstract class TrainProgressRenderer : IProgress<TrainProgress>, IDisposable
{
    /// <summary>
    /// True when standard output is a terminal that can redraw in place: not redirected, and Spectre.Console
    /// finds it interactive (it is not, for example, under CI=true).
    /// </summary>
    public static bool IsInteractiveConsole => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Creates the renderer for <paramref name="output"/>: a live display when <paramref name="interactive"/>, plain lines otherwise.</summary>
    public static TrainProgressRenderer Create(TextWriter output, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!interactive) return new PlainProgressRenderer(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.Yes,
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        return new LiveProgressRenderer(console);
    }

    /// <summary>Shows a progress report; one that carries a message (an evaluation result) is also printed as its own line.</summary>
    public abstract void Report(TrainProgress value);

    /// <summary>Draws the final state and releases the display.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the display; called once by <see cref="Dispose()"/>.</summary>
    protected abstract void Dispose(bool disposing);
}
