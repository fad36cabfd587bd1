namespace TuneSharp.Evaluation;

/// <summary>
/// The 2×2 confusion counts of one label treated as its own binary problem (one entry of scikit-learn's
/// <c>multilabel_confusion_matrix</c>, whose layout is [[tn, fp], [fn, tp]]).
/// </summary>
public sealed record BinaryConfusion(long TrueNegatives, long FalsePositives, long FalseNegatives, long TruePositives);

/// <summary>
/// Multi-label results: each label scored as a binary problem, then micro/macro/weighted over labels,
/// plus subset accuracy (every label of a sample right) and Hamming loss.
/// </summary>
/// <param name="Labels">One row per label (column of the indicator matrix).</param>
/// <param name="Confusions">Per-label binary confusion counts, same order as <paramref name="Labels"/>.</param>
/// <param name="Micro">Counts pooled over all labels.</param>
/// <param name="Macro">Unweighted mean over labels.</param>
/// <param name="Weighted">Mean over labels weighted by support.</param>
/// <param name="SubsetAccuracy">Fraction of samples whose whole label set is predicted exactly (scikit-learn
/// <c>accuracy_score</c> on indicator matrices).</param>
/// <param name="HammingLoss">Fraction of (sample, label) cells predicted wrong (scikit-learn <c>hamming_loss</c>).</param>
public sealed record MultiLabelReport(
    IReadOnlyList<ScoreRow> Labels,
    IReadOnlyList<BinaryConfusion> Confusions,
    ScoreRow Micro,
    ScoreRow Macro,
    ScoreRow Weighted,
    double SubsetAccuracy,
    double HammingLoss)
{
    /// <summary>The settings this report was computed with.</summary>
    public string Settings => "multilabel|zero_division:0|per-label binary";
}

/// <summary>
/// Multi-label classification from indicator matrices (<c>yTrue[sample][label]</c>), as scikit-learn
/// scores a label-indicator <c>y</c>.
/// </summary>
public static class MultiLabelMetrics
{
    const string Metric = "multilabel";

    /// <summary>Scores every label and every average. <paramref name="labelNames"/> names the columns (default "0", "1", …).</summary>
    public static MultiLabelReport Evaluate(IReadOnlyList<IReadOnlyList<bool>> yTrue, IReadOnlyList<IReadOnlyList<bool>> yPred,
        IReadOnlyList<string>? labelNames = null)
    {
        int labels = Check(yTrue, yPred);
        if (labelNames is not null && labelNames.Count != labels)
            throw new UserError($"{Metric}: {labelNames.Count} label name(s) for {labels} column(s); give one name per column.");
        var tp = new long[labels];
        var fp = new long[labels];
        var fn = new long[labels];
        var tn = new long[labels];
        long exact = 0, wrongCells = 0;
        for (int s = 0; s < yTrue.Count; s++)
        {
            bool allRight = true;
            for (int l = 0; l < labels; l++)
            {
                bool t = yTrue[s][l], p = yPred[s][l];
                if (t && p) tp[l]++;
                else if (!t && p) fp[l]++;
                else if (t && !p) fn[l]++;
                else tn[l]++;
                if (t != p) { allRight = false; wrongCells++; }
            }
            if (allRight) exact++;
        }
        var rows = new List<ScoreRow>(labels);
        var confusions = new List<BinaryConfusion>(labels);
        for (int l = 0; l < labels; l++)
        {
            string name = labelNames?[l] ?? l.ToString(System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(PrfMath.Row(name, tp[l], tp[l] + fp[l], tp[l] + fn[l]));
            confusions.Add(new BinaryConfusion(tn[l], fp[l], fn[l], tp[l]));
        }
        var predicted = Enumerable.Range(0, labels).Select(l => tp[l] + fp[l]).ToArray();
        var actual = Enumerable.Range(0, labels).Select(l => tp[l] + fn[l]).ToArray();
        return new MultiLabelReport(rows, confusions, PrfMath.Micro(tp, predicted, actual),
            PrfMath.Macro(rows), PrfMath.Weighted(rows),
            (double)exact / yTrue.Count, (double)wrongCells / ((long)yTrue.Count * labels));
    }

    /// <summary>Subset accuracy: the fraction of samples whose predicted label set equals the true one.</summary>
    public static double SubsetAccuracy(IReadOnlyList<IReadOnlyList<bool>> yTrue, IReadOnlyList<IReadOnlyList<bool>> yPred)
        => Evaluate(yTrue, yPred).SubsetAccuracy;

    static int Check(IReadOnlyList<IReadOnlyList<bool>> yTrue, IReadOnlyList<IReadOnlyList<bool>> yPred)
    {
        EvalGuard.NotNull(Metric, yTrue, "y_true");
        EvalGuard.NotNull(Metric, yPred, "y_pred");
        EvalGuard.SameLength(Metric, yPred.Count, yTrue.Count, "y_pred", "y_true");
        EvalGuard.NotEmpty(Metric, yTrue.Count, "y_true");
        int labels = EvalGuard.NotNull(Metric, yTrue[0], "y_true[0]").Count;
        EvalGuard.NotEmpty(Metric, labels, "the label columns of y_true");
        for (int s = 0; s < yTrue.Count; s++)
        {
            int t = EvalGuard.NotNull(Metric, yTrue[s], $"y_true[{s}]").Count;
            int p = EvalGuard.NotNull(Metric, yPred[s], $"y_pred[{s}]").Count;
            if (t != labels || p != labels)
                throw new UserError(
                    $"{Metric}: sample {s} has {t} true and {p} predicted label column(s); every row must have {labels}.");
        }
        return labels;
    }
}
