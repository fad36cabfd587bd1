using TuneSharp.Reporting;

namespace TuneSharp.Tests.Reporting;

public class RunPlotsTests
{
    [Fact]
    public void Writes_loss_metrics_and_lr_charts_as_valid_non_blank_pngs()
    {
        var metrics = ReportingFiles.WriteMetrics(ReportingFiles.MetricsJsonl());
        var outDir = Path.Combine(Path.GetDirectoryName(metrics)!, "plots");

        var files = RunPlots.Write(metrics, outDir);

        Assert.Equal(new PlotFiles("loss.png", "metrics.png", "lr.png"), files);
        Assert.Equal((1000, 560), ReportingFiles.PngSize(Path.Combine(outDir, "loss.png")));
        Assert.Equal((1000, 600), ReportingFiles.PngSize(Path.Combine(outDir, "metrics.png"))); // two panels: accuracy, macro_f1
        Assert.Equal((1000, 400), ReportingFiles.PngSize(Path.Combine(outDir, "lr.png")));
        // Lines, markers, a legend and anti-aliased text give many colours; a blank chart has one or two.
        Assert.True(ReportingFiles.DistinctColours(Path.Combine(outDir, "loss.png")) > 2);
        Assert.True(ReportingFiles.DistinctColours(Path.Combine(outDir, "metrics.png")) > 2);
        Assert.Empty(Directory.GetFiles(outDir, ".*tmp*"));
    }

    [Fact]
    public void Metrics_chart_is_omitted_and_a_stale_one_removed_when_validation_logs_only_loss()
    {
        var metrics = ReportingFiles.WriteMetrics(ReportingFiles.MetricsJsonl(withMetrics: false));
        var outDir = Path.GetDirectoryName(metrics)!;
        File.WriteAllText(Path.Combine(outDir, "metrics.png"), "from an earlier run");

        var files = RunPlots.Write(metrics, outDir);

        Assert.Null(files.Metrics);
        Assert.False(File.Exists(Path.Combine(outDir, "metrics.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "loss.png")));
        Assert.Equal(["loss.png", "lr.png"], files.All().Select(f => f.File));
    }

    [Fact]
    public void Torn_last_line_is_skipped()
    {
        var text = ReportingFiles.MetricsJsonl() + "{\"split\":\"train\",\"step\":61,\"epoch\":2.03,\"lo";
        var metrics = ReportingFiles.WriteMetrics(text);

        var history = MetricsHistory.Read(metrics);
        var files = RunPlots.Write(metrics, Path.GetDirectoryName(metrics)!);

        Assert.Equal(1, history.UnreadableLines);
        Assert.Equal(59, history.Train.Count); // 60 steps, one skipped, the torn 61st dropped
        Assert.Equal([33], history.SkippedSteps);
        Assert.Equal([20, 40, 60], history.Validation.Select(v => v.Step));
        Assert.Equal(["accuracy", "macro_f1"], history.ValidationMetricNames);
        Assert.NotNull(files.Loss);
    }

    [Fact]
    public void Null_and_non_numeric_values_are_not_metrics()
    {
        var history = MetricsHistory.Parse([
            "{\"split\":\"validation\",\"step\":5,\"epoch\":1,\"loss\":null,\"accuracy\":0.5,\"note\":\"x\"}",
        ]);

        var point = Assert.Single(history.Validation);
        Assert.Equal(new Dictionary<string, double> { ["accuracy"] = 0.5 }, point.Metrics);
    }

    [Fact]
    public void Missing_log_is_a_user_error()
    {
        var error = Assert.Throws<UserError>(() => RunPlots.Write(Path.Combine(ReportingFiles.TempDir(), "metrics.jsonl"), ReportingFiles.TempDir()));
        Assert.Contains("metrics log not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Smoothing_starts_at_the_first_value_and_follows_a_constant()
    {
        var smoothed = Smoothing.Ema([2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]);
        Assert.All(smoothed, v => Assert.Equal(2.0, v, 12));
        Assert.Equal(5.0, Smoothing.Ema([5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])[0], 12);
    }
}
