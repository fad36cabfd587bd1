namespace TuneSharp.Evaluation;

/// <summary>A metric on a test set and its bootstrap confidence interval.</summary>
public sealed record MetricInterval(double Estimate, double Low, double High)
{
    /// <summary>"0.4510 [0.4230, 0.4790]".</summary>
    public override string ToString() => FormattableString.Invariant($"{Estimate:0.0000} [{Low:0.0000}, {High:0.0000}]");
}

/// <summary>Accuracy and macro-F1 of one classifier on a test set, each with its interval.</summary>
public sealed record ClassificationIntervals(MetricInterval Accuracy, MetricInterval MacroF1, int Resamples, double Confidence);

/// <summary>
/// Percentile bootstrap over test examples (Efron): the test set is resampled with replacement
/// <c>resamples</c> times, the metric recomputed on each resample, and the interval is the (α/2, 1-α/2) quantiles.
/// It answers "how much would this number move on another test set of the same size from the same source", which
/// is what decides whether two rows of a comparison differ. Seeded, so a report is reproducible.
/// </summary>
public static class BootstrapInterval
{
    /// <summary>Accuracy and macro-F1 (over <paramref name="labels"/>, as <see cref="ClassificationMetrics.Report"/> computes them).</summary>
    public static ClassificationIntervals Classification(IReadOnlyList<string> truth, IReadOnlyList<string> predicted,
        IReadOnlyList<string> labels, int resamples = 1000, double confidence = 0.95, int seed = 0)
    {
        if (truth.Count != predicted.Count || truth.Count == 0) throw new ArgumentException($"{truth.Count} true labels for {predicted.Count} predictions");
        var full = ClassificationMetrics.Report(truth, predicted, labels);
        var accuracy = new double[resamples];
        var macro = new double[resamples];
        var rng = new Random(seed);
        var t = new string[truth.Count];
        var p = new string[truth.Count];
        for (int b = 0; b < resamples; b++)
        {
            for (int i = 0; i < t.Length; i++)
            {
                int j = rng.Next(t.Length);
                t[i] = truth[j];
                p[i] = predicted[j];
            }
            var report = ClassificationMetrics.Report(t, p, labels);
            accuracy[b] = report.Accuracy;
            macro[b] = report.Macro.F1;
        }
        return new ClassificationIntervals(Interval(full.Accuracy, accuracy, confidence), Interval(full.Macro.F1, macro, confidence), resamples, confidence);
    }

    /// <summary>The estimate on the whole set and the percentile interval of its resampled values.</summary>
    public static MetricInterval Interval(double estimate, double[] resampled, double confidence)
    {
        var sorted = resampled.Order().ToArray();
        double alpha = (1 - confidence) / 2;
        return new MetricInterval(estimate, Quantile(sorted, alpha), Quantile(sorted, 1 - alpha));
    }

    /// <summary>Linear-interpolated quantile of sorted values (numpy's default).</summary>
    static double Quantile(double[] sorted, double q)
    {
        double pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
