using System.Globalization;
using System.Text;
using ScottPlot;
using TuneSharp.Evaluation;

namespace TuneSharp.Reporting;

/// <summary>One compared model: its test metrics with bootstrap intervals and where its run lives.</summary>
/// <param name="Name">Row label, e.g. "MiniLM, full fine-tuning".</param>
/// <param name="Trainable">Parameters trained (0 for a baseline that trains none).</param>
/// <param name="Intervals">Accuracy and macro-F1 on the test set with their intervals.</param>
/// <param name="Seconds">Wall time of the row, training and evaluation.</param>
/// <param name="RunDir">The row's run folder (its own report.md and plots), relative to the report; null for baselines without one.</param>
public sealed record ComparisonRow(string Name, long Trainable, ClassificationIntervals Intervals, double Seconds, string? RunDir);

/// <summary>
/// A side-by-side comparison of models on one test set: report.md with a table of accuracy and macro-F1 and their
/// bootstrap intervals, and comparison.png drawing each estimate with its interval, so whether two rows differ can be
/// read off the page rather than guessed from point estimates.
/// </summary>
public static class ComparisonReport
{
    /// <summary>File name of the interval chart.</summary>
    public const string ChartFile = "comparison.png";

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes report.md and comparison.png into <paramref name="dir"/>, atomically. <paramref name="intro"/> is Markdown put under the title.</summary>
    public static void Write(string dir, string title, string intro, IReadOnlyList<ComparisonRow> rows, IReadOnlyList<string> findings)
    {
        Directory.CreateDirectory(dir);
        WriteChart(Path.Combine(dir, ChartFile), title, rows);
        var md = new StringBuilder();
        md.Append("# ").Append(title).Append("\n\n").Append(intro.TrimEnd()).Append("\n\n");
        md.Append(Table(rows)).Append('\n');
        foreach (var f in findings) md.Append("- ").Append(f).Append('\n');
        if (findings.Count > 0) md.Append('\n');
        var c = rows[0].Intervals;
        md.Append(string.Create(Inv, $"Intervals: {c.Confidence:P0} percentile bootstrap over the test examples ({c.Resamples} resamples, seed 0).\n\n"));
        md.Append("![accuracy and macro-F1 with intervals](").Append(ChartFile).Append(")\n");
        IO.AtomicFile.WriteAllText(Path.Combine(dir, "report.md"), md.ToString());
    }

    /// <summary>The Markdown table: model, trainable parameters, accuracy [CI], macro-F1 [CI], time, run folder.</summary>
    public static string Table(IReadOnlyList<ComparisonRow> rows)
    {
        var md = new StringBuilder("| model | trained parameters | accuracy [95% CI] | macro-F1 [95% CI] | time | run |\n|---|---:|---|---|---:|---|\n");
        foreach (var r in rows)
            md.Append(string.Create(Inv, $"| {r.Name} | {(r.Trainable == 0 ? "0" : r.Trainable.ToString("N0", Inv))} | {r.Intervals.Accuracy} | {r.Intervals.MacroF1} | {r.Seconds:0} s | "))
              .Append(r.RunDir is null ? "" : $"[{r.RunDir}]({r.RunDir}/report.md)").Append(" |\n");
        return md.ToString();
    }

    /// <summary>True when the two intervals do not overlap and <paramref name="a"/> is above <paramref name="b"/>.</summary>
    public static bool ClearlyAbove(MetricInterval a, MetricInterval b) => a.Low > b.High;

    static void WriteChart(string path, string title, IReadOnlyList<ComparisonRow> rows)
    {
        var panels = new[]
        {
            Panel(title + ": accuracy", "accuracy (test)", rows, r => r.Intervals.Accuracy),
            Panel(title + ": macro-F1", "macro-F1 (test)", rows, r => r.Intervals.MacroF1),
        };
        ChartStyle.SaveStackedPng(panels, path, 1000, 80 + 50 * rows.Count);
    }

    // One horizontal dot-and-whisker per row, the first row at the top.
    static Plot Panel(string title, string xLabel, IReadOnlyList<ComparisonRow> rows, Func<ComparisonRow, MetricInterval> metric)
    {
        var plot = ChartStyle.NewPlot(title, xLabel, "");
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < rows.Count; i++)
        {
            double y = rows.Count - 1 - i;
            var m = metric(rows[i]);
            var color = ChartStyle.Palette[i % ChartStyle.Palette.Length];
            var whisker = plot.Add.Line(m.Low, y, m.High, y);
            whisker.Color = color;
            whisker.LineWidth = 3;
            var dot = plot.Add.Scatter(new[] { m.Estimate }, new[] { y }, color);
            dot.MarkerSize = 10;
            ticks.AddMajor(y, rows[i].Name);
        }
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsX(0, Math.Min(1, rows.Max(r => metric(r).High) + 0.05));
        plot.Axes.SetLimitsY(-0.6, rows.Count - 0.4);
        return plot;
    }
}
