using TuneSharp.Evaluation;

namespace TuneSharp.Tests.Evaluation;

public class BootstrapIntervalTests
{
    static (List<string> Truth, List<string> Predicted) HalfRight(int n)
    {
        var truth = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c").ToList();
        var predicted = truth.Select((t, i) => i % 2 == 0 ? t : "a").ToList();
        return (truth, predicted);
    }

    [Fact]
    public void Interval_holds_the_estimate_and_matches_the_binomial_width()
    {
        var (truth, predicted) = HalfRight(1200);
        var ci = BootstrapInterval.Classification(truth, predicted, ["a", "b", "c"]);
        var report = ClassificationMetrics.Report(truth, predicted, ["a", "b", "c"]);
        Assert.Equal(report.Accuracy, ci.Accuracy.Estimate, 12);
        Assert.Equal(report.Macro.F1, ci.MacroF1.Estimate, 12);
        Assert.InRange(ci.Accuracy.Estimate, ci.Accuracy.Low, ci.Accuracy.High);
        Assert.InRange(ci.MacroF1.Estimate, ci.MacroF1.Low, ci.MacroF1.High);
        // The normal approximation of a binomial proportion: half-width 1.96·sqrt(p(1-p)/n).
        double p = report.Accuracy, expected = 1.96 * Math.Sqrt(p * (1 - p) / truth.Count);
        double halfWidth = (ci.Accuracy.High - ci.Accuracy.Low) / 2;
        Assert.InRange(halfWidth, 0.85 * expected, 1.15 * expected);
    }

    [Fact]
    public void Four_times_the_examples_halves_the_width()
    {
        var (t1, p1) = HalfRight(300);
        var (t4, p4) = HalfRight(1200);
        var small = BootstrapInterval.Classification(t1, p1, ["a", "b", "c"]);
        var large = BootstrapInterval.Classification(t4, p4, ["a", "b", "c"]);
        double ratio = (small.Accuracy.High - small.Accuracy.Low) / (large.Accuracy.High - large.Accuracy.Low);
        Assert.InRange(ratio, 1.6, 2.4);
    }

    [Fact]
    public void A_perfect_classifier_has_a_point_interval_and_the_seed_fixes_the_result()
    {
        var (truth, _) = HalfRight(90);
        var perfect = BootstrapInterval.Classification(truth, truth, ["a", "b", "c"]);
        Assert.Equal(new MetricInterval(1, 1, 1), perfect.Accuracy);
        var (t, p) = HalfRight(90);
        Assert.Equal(BootstrapInterval.Classification(t, p, ["a", "b", "c"], seed: 5), BootstrapInterval.Classification(t, p, ["a", "b", "c"], seed: 5));
        Assert.Equal("0.5000 [0.4000, 0.6000]", new MetricInterval(0.5, 0.4, 0.6).ToString());
    }
}
