using TuneSharp.Reporting;

namespace TuneSharp.FewShot;

/// <summary>Accuracy against k (log2 axis), one line per method with ±1 std error bars; k = 0 rows as horizontal lines.</summary>
static class FewShotPlot
{
    public static void Write(string path, IReadOnlyList<FewShotCell> cells, IReadOnlyList<int> ks)
    {
        var plot = ChartStyle.NewPlot("Few-shot learning curve", "examples per class (k, log2 axis)", "test accuracy");
        int colour = 0;
        foreach (var method in cells.Select(c => c.Method).Distinct())
        {
            var color = ChartStyle.Palette[colour++ % ChartStyle.Palette.Length];
            var curve = cells.Where(c => c.Method == method && c.K > 0).OrderBy(c => c.K).ToList();
            if (curve.Count > 0)
            {
                double[] xs = curve.Select(c => Math.Log2(c.K)).ToArray(), ys = curve.Select(c => c.Accuracy).ToArray();
                var line = plot.Add.Scatter(xs, ys, color);
                line.LegendText = method;
                var bars = plot.Add.ErrorBar(xs, ys, curve.Select(c => c.AccuracyStd).ToArray());
                bars.Color = color;
            }
            if (cells.FirstOrDefault(c => c.Method == method && c.K == 0) is { } zero)
            {
                var flat = plot.Add.HorizontalLine(zero.Accuracy, color: color, pattern: ScottPlot.LinePattern.Dashed);
                flat.LegendText = curve.Count > 0 ? $"{method}, 0 examples" : method;
            }
        }
        var positions = ks.Order().Select(k => Math.Log2(k)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, ks.Order().Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        ChartStyle.SavePng(plot, path, 900, 560);
    }
}
