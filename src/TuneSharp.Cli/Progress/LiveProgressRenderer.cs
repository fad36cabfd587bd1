using Spectre.Console;
using TuneSharp.Training;

namespace TuneSharp.Cli.Progress;

/// <summary>
/// A Spectre.Console progress bar with step/total, under a line with epoch, loss, learning rate, tokens/s and ETA; evaluation
/// messages are printed above it. Spectre consoles are not thread-safe, so only the display thread touches the
/// console: <see cref="Report"/> just records the latest state and queues messages for it.
/// </summary>
sealed class LiveProgressRenderer : TrainProgressRenderer
{
    static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    readonly IAnsiConsole console;
    readonly Lock gate = new();
    readonly Queue<string> messages = new();
    readonly ManualResetEventSlim stopping = new();
    readonly Task display;
    TrainProgress? latest;
    // Evaluation reports carry no training loss; the bar keeps showing the last one.
    double lastLoss = double.NaN;
    bool disposed;
    // Drawn above the bar by the render hook; only the display thread writes it, Spectre may read it while rendering.
    volatile string stats = "";

    public LiveProgressRenderer(IAnsiConsole console)
    {
        this.console = console;
        display = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public override void Report(TrainProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (gate)
        {
            latest = value;
            if (double.IsFinite(value.Loss)) lastLoss = value.Loss;
            if (value.Message is not null) messages.Enqueue(value.Message);
        }
    }

    void Run() => console.Progress()
        .AutoClear(false)
        .AutoRefresh(false)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
        // The numbers get a line of their own above the bar: beside it they would wrap on an 80-column terminal.
        .UseRenderHook((bar, _) => stats.Length == 0 ? bar : new Rows(new Spectre.Console.Text(stats), bar))
        .Start(context =>
        {
            var task = context.AddTask("starting", maxValue: 1);
            while (true)
            {
                bool last = stopping.Wait(RefreshInterval);
                Draw(context, task);
                if (last) break;
            }
        });

    void Draw(ProgressContext context, ProgressTask task)
    {
        TrainProgress? state;
        double loss;
        string[] pending;
        lock (gate)
        {
            state = latest;
            loss = lastLoss;
            pending = [.. messages];
            messages.Clear();
        }
        // Written while the bar is live, these lines go above it: Spectre redraws the bar below them.
        foreach (var message in pending) console.WriteLine(message);
        if (state is not null)
        {
            task.MaxValue = Math.Max(1, state.TotalSteps);
            task.Value = Math.Min(state.Step, task.MaxValue);
            task.Description = Markup.Escape(ProgressText.Steps(state));
            stats = ProgressText.Stats(state with { Loss = loss });
        }
        context.Refresh();
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing || disposed) return;
        disposed = true;
        stopping.Set();
        // The display thread draws the final state and messages before it ends; an error it hit surfaces here.
        display.GetAwaiter().GetResult();
        stopping.Dispose();
    }
}
