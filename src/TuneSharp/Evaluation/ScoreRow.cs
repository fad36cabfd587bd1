namespace TuneSharp.Evaluation;

/// <summary>
/// Precision, recall and F1 for one label (or one average), with its support: the number of true
/// instances of that label (for an average, the total over the labels it covers).
/// </summary>
/// <param name="Name">The label, its display name, or the average's name ("micro avg", "macro avg", "weighted avg").</param>
/// <param name="Precision">tp / (tp + fp); 0 when nothing was predicted (scikit-learn's zero_division=0).</param>
/// <param name="Recall">tp / (tp + fn); 0 when the label never occurs in the references.</param>
/// <param name="F1">Harmonic mean of precision and recall; 0 when both are 0.</param>
/// <param name="Support">Number of true instances.</param>
public sealed record ScoreRow(string Name, double Precision, double Recall, double F1, long Support);

/// <summary>
/// The arithmetic shared by scikit-learn's <c>precision_recall_fscore_support</c> and seqeval (which
/// copies it): per-label ratios with zero_division=0, then micro (pooled counts), macro (unweighted
/// mean) and weighted (mean weighted by support) averages.
/// </summary>
internal static class PrfMath
{
    public static double Divide(long numerator, long denominator)
        => denominator == 0 ? 0.0 : (double)numerator / denominator;

    public static double F1(double precision, double recall)
        => precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);

    public static ScoreRow Row(string name, long tp, long predicted, long actual)
    {
        double p = Divide(tp, predicted);
        double r = Divide(tp, actual);
        return new ScoreRow(name, p, r, F1(p, r), actual);
    }

    public static ScoreRow Micro(IReadOnlyList<long> tp, IReadOnlyList<long> predicted, IReadOnlyList<long> actual)
        => Row("micro avg", tp.Sum(), predicted.Sum(), actual.Sum());

    /// <summary>
    /// Unweighted mean of the per-label rows. With no labels at all, scikit-learn/seqeval return NaN
    /// (mean of an empty array); this returns 0 instead, in keeping with zero_division=0.
    /// </summary>
    public static ScoreRow Macro(IReadOnlyList<ScoreRow> rows)
    {
        long support = rows.Sum(r => r.Support);
        if (rows.Count == 0) return new ScoreRow("macro avg", 0, 0, 0, 0);
        return new ScoreRow("macro avg",
            rows.Average(r => r.Precision), rows.Average(r => r.Recall), rows.Average(r => r.F1), support);
    }

    /// <summary>
    /// Support-weighted mean. When the total support is 0 every value is 0, which is what
    /// seqeval/scikit-learn return for zero_division=0 in that case.
    /// </summary>
    public static ScoreRow Weighted(IReadOnlyList<ScoreRow> rows)
    {
        long support = rows.Sum(r => r.Support);
        if (support == 0) return new ScoreRow("weighted avg", 0, 0, 0, 0);
        double w(Func<ScoreRow, double> f) => rows.Sum(r => f(r) * r.Support) / support;
        return new ScoreRow("weighted avg", w(r => r.Precision), w(r => r.Recall), w(r => r.F1), support);
    }
}
