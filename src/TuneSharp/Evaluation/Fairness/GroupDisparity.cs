namespace TuneSharp.Evaluation.Fairness;

/// <summary>A group's size and error rates; FPR and FNR count <c>positive</c> as the positive class (null without one).</summary>
public sealed record GroupRates(string Group, int Count, double Accuracy, double? FalsePositiveRate, double? FalseNegativeRate);

/// <summary>Per-group rates and the largest gap between any two groups, for each rate.</summary>
public sealed record DisparityReport(IReadOnlyList<GroupRates> Groups, double AccuracyGap, double? FprGap, double? FnrGap);

/// <summary>Metric disparity across the groups a data set names (e.g. a "group" field): accuracy, FPR and FNR gaps.</summary>
public static class GroupDisparity
{
    public static DisparityReport Measure(IReadOnlyList<string> groups, IReadOnlyList<string> truth, IReadOnlyList<string> predicted, string? positive)
    {
        if (groups.Count != truth.Count || truth.Count != predicted.Count) throw new ArgumentException("groups, truth and predictions differ in length");
        var rates = groups.Select((g, i) => (g, i)).GroupBy(x => x.g, x => x.i).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var idx = g.ToList();
            double acc = idx.Count(i => truth[i] == predicted[i]) / (double)idx.Count;
            double? Rate(Func<int, bool> denominator, Func<int, bool> error)
            {
                var d = idx.Where(denominator).ToList();
                return positive is null || d.Count == 0 ? null : d.Count(error) / (double)d.Count;
            }
            return new GroupRates(g.Key, idx.Count, acc,
                Rate(i => truth[i] != positive, i => predicted[i] == positive),
                Rate(i => truth[i] == positive, i => predicted[i] != positive));
        }).ToList();
        static double? Gap(IEnumerable<double?> values)
        {
            var v = values.OfType<double>().ToList();
            return v.Count < 2 ? null : v.Max() - v.Min();
        }
        return new DisparityReport(rates, Gap(rates.Select(r => (double?)r.Accuracy)) ?? 0, Gap(rates.Select(r => r.FalsePositiveRate)), Gap(rates.Select(r => r.FalseNegativeRate)));
    }
}
