using ScottPlot;
using TuneSharp.Reporting;

namespace TuneSharp.Tuning;

/// <summary>
/// A study's charts as PNG files: history.png (each complete trial's value by trial number, the best so far as a
/// line, pruned trials at their last intermediate value), slices.png (value against each parameter, one panel per
/// parameter, log axes as log10, pruned trials at their last value) and intermediate.png (every trial's validation metric by step, pruned trials in
/// red ending in a cross).
/// </summary>
public static class StudyPlots
{
    public const string HistoryFile = "history.png";
    public const string SlicesFile = "slices.png";
    public const string IntermediateFile = "intermediate.png";
    const int Width = 1000;

    /// <summary>Writes the charts into <paramref name="outDir"/>; returns the file names written.</summary>
    public static IReadOnlyList<string> Write(SearchSpace space, IReadOnlyList<TrialRecord> trials, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is not null).ToList();
        var pruned = trials.Where(t => t.State == TrialState.Pruned && t.LastStep is not null).ToList();
        if (complete.Count + pruned.Count > 0)
        {
            ChartStyle.SavePng(History(space, complete, pruned), Path.Combine(outDir, HistoryFile), Width, 560);
            written.Add(HistoryFile);
        }
        var panels = space.Params.Select(p => Slice(space, p, complete, pruned)).Where(p => p is not null).Select(p => p!).ToList();
        if (panels.Count > 0)
        {
            ChartStyle.SaveStackedPng(panels, Path.Combine(outDir, SlicesFile), Width, 340);
            written.Add(SlicesFile);
        }
        if (trials.Any(t => t.Intermediate.Count > 0))
        {
            ChartStyle.SavePng(Intermediate(space, trials), Path.Combine(outDir, IntermediateFile), Width, 560);
            written.Add(IntermediateFile);
        }
        return written;
    }

    static Plot History(SearchSpace space, List<TrialRecord> complete, List<TrialRecord> pruned)
    {
        var plot = ChartStyle.NewPlot($"Optimisation history ({space.StudyName})", "trial", space.Metric);
        if (complete.Count > 0)
        {
            var xs = complete.Select(t => (double)t.Number).ToArray();
            var ys = complete.Select(t => t.Value!.Value).ToArray();
            var points = plot.Add.Scatter(xs, ys, ChartStyle.Palette[0]);
            points.LineWidth = 0; points.MarkerSize = 9; points.LegendText = "complete trial";
            var best = new double[ys.Length];
            for (int i = 0; i < ys.Length; i++)
                best[i] = i == 0 ? ys[0] : space.Maximize ? Math.Max(best[i - 1], ys[i]) : Math.Min(best[i - 1], ys[i]);
            var line = plot.Add.ScatterLine(xs, best, ChartStyle.Palette[1]);
            line.LineWidth = 2; line.ConnectStyle = ConnectStyle.StepHorizontal; line.LegendText = "best so far";
        }
        if (pruned.Count > 0)
        {
            var p = plot.Add.Scatter(pruned.Select(t => (double)t.Number).ToArray(), pruned.Select(t => t.Intermediate[t.LastStep!.Value]).ToArray(), ChartStyle.Palette[3]);
            p.LineWidth = 0; p.MarkerSize = 10; p.MarkerShape = MarkerShape.Cross; p.LegendText = "pruned (last value)";
        }
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    static Plot? Slice(SearchSpace space, ParamSpec p, List<TrialRecord> complete, List<TrialRecord> pruned)
    {
        var with = complete.Where(t => t.Params?.ContainsKey(p.Key) == true).ToList();
        var cut = pruned.Where(t => t.Params?.ContainsKey(p.Key) == true).ToList();
        if (with.Count + cut.Count == 0) return null;
        bool log = p is FloatParam { Log: true } or IntParam { Log: true };
        var plot = ChartStyle.NewPlot($"{space.Metric} by {p.Key}", log ? $"log10({p.Key})" : p.Key + (p is CategoricalParam ? " (choice index)" : ""), space.Metric);
        double X(TrialRecord t) => p.ToInternal(t.Params![p.Key]) is double x ? (log ? x / Math.Log(10) : x) : double.NaN;
        if (with.Count > 0)
        {
            var s = plot.Add.Scatter(with.Select(X).ToArray(), with.Select(t => t.Value!.Value).ToArray(), ChartStyle.Palette[0]);
            s.LineWidth = 0; s.MarkerSize = 9; s.LegendText = "complete";
        }
        if (cut.Count > 0)
        {
            // A pruned trial at its last intermediate value: where the search stopped believing in it.
            var s = plot.Add.Scatter(cut.Select(X).ToArray(), cut.Select(t => t.Intermediate[t.LastStep!.Value]).ToArray(), ChartStyle.Palette[3]);
            s.LineWidth = 0; s.MarkerSize = 10; s.MarkerShape = MarkerShape.Cross; s.LegendText = "pruned (last value)";
        }
        plot.ShowLegend(Alignment.LowerRight);
        if (p is CategoricalParam c)
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, c.Choices.Count).Select(i => (double)i).ToArray(), c.Choices.Select(ParamSpec.Text).ToArray());
        return plot;
    }

    static Plot Intermediate(SearchSpace space, IReadOnlyList<TrialRecord> trials)
    {
        var plot = ChartStyle.NewPlot("Intermediate values", "training step", space.Metric);
        bool labelledComplete = false, labelledPruned = false, labelledOther = false;
        foreach (var t in trials.Where(t => t.Intermediate.Count > 0))
        {
            var steps = t.Intermediate.OrderBy(kv => kv.Key).ToList();
            var color = t.State switch { TrialState.Pruned => ChartStyle.Palette[3], TrialState.Complete => ChartStyle.Palette[0], _ => ChartStyle.Palette[7] };
            var line = plot.Add.Scatter(steps.Select(kv => (double)kv.Key).ToArray(), steps.Select(kv => kv.Value).ToArray(), color.WithAlpha(0.8));
            line.LineWidth = 1.5f; line.MarkerSize = 4;
            if (t.State == TrialState.Pruned)
            {
                var end = plot.Add.Scatter(new[] { (double)steps[^1].Key }, new[] { steps[^1].Value }, ChartStyle.Palette[3]);
                end.LineWidth = 0; end.MarkerSize = 12; end.MarkerShape = MarkerShape.Cross;
                if (!labelledPruned) { line.LegendText = "pruned trial"; labelledPruned = true; }
            }
            else if (t.State == TrialState.Complete && !labelledComplete) { line.LegendText = "complete trial"; labelledComplete = true; }
            else if (t.State is TrialState.Running or TrialState.Fail && !labelledOther) { line.LegendText = "running / failed"; labelledOther = true; }
        }
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
