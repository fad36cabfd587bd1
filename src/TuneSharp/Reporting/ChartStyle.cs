using ScottPlot;
using SkiaSharp;

namespace TuneSharp.Reporting;

/// <summary>Shared look of the run charts and their PNG output.</summary>
static class ChartStyle
{
    /// <summary>Series colours (matplotlib's tab10, which readers of training curves know).</summary>
    public static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
    ];

    // Sans families first: ScottPlot otherwise takes whichever family the font manager lists first (on Debian
    // that is DejaVu Serif). The NoDependencies Skia build scans the system font folders without fontconfig.
    static readonly string[] PreferredFamilies = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI"];

    static readonly Lazy<string?> Family = new(FindFamily);

    static string? FindFamily()
    {
        var installed = SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.Ordinal);
        return PreferredFamilies.FirstOrDefault(installed.Contains)
            ?? installed.Where(f => f.Contains("Sans", StringComparison.Ordinal) && !f.Contains("Mono", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>A chart with title, axis labels and the report font.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (Family.Value is string family) plot.Font.Set(family);
        plot.Title(title, size: 18);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        return plot;
    }

    /// <summary>Renders a chart to PNG and writes it atomically, so a reader never sees half an image.</summary>
    public static void SavePng(Plot plot, string path, int width, int height) =>
        IO.AtomicFile.Write(path, s => s.Write(plot.GetImageBytes(width, height, ImageFormat.Png)));

    /// <summary>Renders charts stacked top to bottom into one PNG, written atomically.</summary>
    public static void SaveStackedPng(IReadOnlyList<Plot> plots, string path, int width, int panelHeight)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, panelHeight * plots.Count));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        for (int i = 0; i < plots.Count; i++)
        {
            canvas.Save();
            canvas.Translate(0, i * panelHeight);
            canvas.ClipRect(new SKRect(0, 0, width, panelHeight));
            plots[i].Render(canvas, width, panelHeight);
            canvas.Restore();
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        IO.AtomicFile.Write(path, s => data.SaveTo(s));
    }
}
