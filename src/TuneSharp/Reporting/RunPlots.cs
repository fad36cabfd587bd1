using ScottPlot;

namespace TuneSharp.Reporting;

/// <summary>
/// Draws a run's curves from its metrics.jsonl as PNG files: loss.png (training loss per step, a smoothed line,
/// validation loss at its steps), metrics.png (one panel per validation metric other than loss) and lr.png.
/// </summary>
public static class RunPlots
{
    /// <summary>File name of the loss chart.</summary>
    public const string LossFile = "loss.png";
    /// <summary>File name of the validation-metrics chart.</summary>
    public const string MetricsFile = "metrics.png";
    /// <summary>File name of the learning-rate chart.</summary>
    public const string LearningRateFile = "lr.png";

    const int Width = 1000;
    const int LossHeight = 560;
    const int PanelHeight = 300;
    const int LrHeight = 400;
    // Beyond this many, skipped-step markers would hide the curve; the report still gives their count.
    const int MaxSkipMarkers = 50;

    /// <summary>
    /// Writes the charts of <paramref name="metricsJsonl"/> into <paramref name="outDir"/>, each atomically.
    /// A chart with nothing to show is not written, and an older file of that name is removed so that the
    /// folder never shows a chart from another run.
    /// </summary>
    public static PlotFiles Write(string metricsJsonl, string outDir) => Write(MetricsHistory.Read(metricsJsonl), outDir);

    /// <summary>Writes the charts of an already read history; see <see cref="Write(string, string)"/>.</summary>
    public static PlotFiles Write(MetricsHistory history, string outDir)
    {
        Directory.CreateDirectory(outDir);
        return new PlotFiles(
            WriteOrRemove(outDir, LossFile, history.Train.Count > 0 || history.Validation.Any(v => v.Metrics.ContainsKey("loss")),
                path => ChartStyle.SavePng(LossChart(history), path, Width, LossHeight)),
            WriteOrRemove(outDir, MetricsFile, history.ValidationMetricNames.Count > 0,
                path => WriteMetrics(history, path)),
            WriteOrRemove(outDir, LearningRateFile, history.Train.Any(p => p.LearningRate is not null),
                path => ChartStyle.SavePng(LearningRateChart(history), path, Width, LrHeight)));
    }

    static string? WriteOrRemove(string outDir, string file, bool hasData, Action<string> write)
    {
        string path = Path.Combine(outDir, file);
        if (!hasData)
        {
            File.Delete(path);
            return null;
        }
        write(path);
        return file;
    }

    internal static Plot LossChart(MetricsHistory history)
    {
        var plot = ChartStyle.NewPlot("Loss", "step", "loss");
        var steps = history.Train.Select(p => (double)p.Step).ToArray();
        var losses = history.Train.Select(p => p.Loss).ToArray();
        if (steps.Length > 0)
        {
            var raw = plot.Add.ScatterLine(steps, losses, ChartStyle.Palette[0].WithAlpha(0.3));
            raw.LineWidth = 1;
            raw.LegendText = "training loss";
            if (steps.Length > 2)
            {
                var smooth = plot.Add.ScatterLine(steps, Smoothing.Ema(losses), ChartStyle.Palette[0]);
                smooth.LineWidth = 2.5f;
                smooth.LegendText = "training loss (smoothed)";
            }
        }
        var evals = history.Validation.Where(v => v.Metrics.ContainsKey("loss")).ToList();
        if (evals.Count > 0)
        {
            var validation = plot.Add.Scatter(evals.Select(v => (double)v.Step).ToArray(), evals.Select(v => v.Metrics["loss"]).ToArray(),
                ChartStyle.Palette[1]);
            validation.LineWidth = 2;
            validation.MarkerSize = 8;
            validation.LegendText = "validation loss";
        }
        if (history.SkippedSteps.Count is > 0 and <= MaxSkipMarkers)
        {
            for (int i = 0; i < history.SkippedSteps.Count; i++)
            {
                var line = plot.Add.VerticalLine(history.SkippedSteps[i], 1, ChartStyle.Palette[3].WithAlpha(0.6));
                line.LinePattern = LinePattern.Dashed;
                if (i == 0) line.LegendText = "skipped step (non-finite)";
            }
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    static void WriteMetrics(MetricsHistory history, string path)
    {
        var names = history.ValidationMetricNames;
        var panels = names.Select((name, i) => MetricPanel(history, name, ChartStyle.Palette[(i + 2) % ChartStyle.Palette.Length])).ToList();
        ChartStyle.SaveStackedPng(panels, path, Width, PanelHeight);
    }

    // One panel per metric: accuracy lives in [0, 1] and BLEU in [0, 100], so a shared axis would flatten one of them.
    internal static Plot MetricPanel(MetricsHistory history, string name, Color color)
    {
        var plot = ChartStyle.NewPlot($"Validation {name}", "step", name);
        var points = history.Validation.Where(v => v.Metrics.ContainsKey(name)).ToList();
        var series = plot.Add.Scatter(points.Select(v => (double)v.Step).ToArray(), points.Select(v => v.Metrics[name]).ToArray(), color);
        series.LineWidth = 2;
        series.MarkerSize = 8;
        series.LegendText = name;
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    internal static Plot LearningRateChart(MetricsHistory history)
    {
        var plot = ChartStyle.NewPlot("Learning rate", "step", "learning rate");
        var points = history.Train.Where(p => p.LearningRate is not null).ToList();
        var series = plot.Add.ScatterLine(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.LearningRate!.Value).ToArray(),
            ChartStyle.Palette[4]);
        series.LineWidth = 2;
        // Learning rates are around 1e-5..1e-3: scientific tick labels stay short and readable.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = v => v.ToString("0.##e+00", System.Globalization.CultureInfo.InvariantCulture),
        };
        return plot;
    }
}
