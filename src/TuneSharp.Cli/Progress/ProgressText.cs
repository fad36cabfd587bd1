using System.Globalization;
using TuneSharp.Training;

namespace TuneSharp.Cli.Progress;

/// <summary>The text of a progress report, shared by the plain lines and the live display.</summary>
static class ProgressText
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>e.g. "step 20/300 | epoch 0.67 | loss 2.3412 | lr 4.98e-05 | 1234 tok/s | eta 00:01:05".</summary>
    public static string Line(TrainProgress p) =>
        $"{Steps(p)} | {Stats(p)}";

    /// <summary>e.g. "step 20/300".</summary>
    public static string Steps(TrainProgress p) => string.Create(Inv, $"step {p.Step}/{p.TotalSteps}");

    /// <summary>e.g. "epoch 0.67 | loss 2.3412 | lr 4.98e-05 | 1234 tok/s | eta 00:01:05".</summary>
    public static string Stats(TrainProgress p) =>
        string.Create(Inv, $"epoch {p.Epoch:0.00} | loss {Loss(p.Loss)} | lr {p.LearningRate.ToString("0.00e+00", Inv)} | {p.TokensPerSecond:0} tok/s | eta {Duration(p.Eta)}");

    // An evaluation report has no training loss (NaN); "n/a" says so instead of printing "NaN".
    static string Loss(double loss) => double.IsFinite(loss) ? loss.ToString("0.0000", Inv) : "n/a";

    /// <summary>hh:mm:ss with hours past 24 kept (a long run's ETA must not wrap to a day-less clock).</summary>
    public static string Duration(TimeSpan t)
    {
        if (t < TimeSpan.Zero) t = TimeSpan.Zero;
        return string.Create(Inv, $"{(long)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}");
    }
}
