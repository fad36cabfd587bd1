namespace TuneSharp.Evaluation;

/// <summary>
/// Single-label (binary or multi-class) classification metrics with scikit-learn's conventions:
/// labels default to the sorted union of both sides, undefined ratios are 0 (<c>zero_division=0</c>),
/// micro/macro/weighted averages as in <c>precision_recall_fscore_support</c>.
/// </summary>
public static class ClassificationMetrics
{
    const string Metric = "classification";

    /// <summary>Fraction of samples whose prediction equals the reference (scikit-learn <c>accuracy_score</c>).</summary>
    public static double Accuracy<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred) where T : notnull
    {
        Check(yTrue, yPred);
        long correct = 0;
        for (int i = 0; i < yTrue.Count; i++)
            if (EqualityComparer<T>.Default.Equals(yTrue[i], yPred[i])) correct++;
        return (double)correct / yTrue.Count;
    }

    /// <summary>
    /// Confusion matrix (scikit-learn <c>confusion_matrix</c>). With <paramref name="labels"/>, only those
    /// rows and columns are kept and samples with other labels are left out.
    /// </summary>
    public static ConfusionMatrix<T> ConfusionMatrix<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred,
        IReadOnlyList<T>? labels = null) where T : notnull
    {
        Check(yTrue, yPred);
        var order = LabelOrder.Resolve("confusion matrix", yTrue, yPred, labels);
        var index = new Dictionary<T, int>();
        for (int k = 0; k < order.Count; k++) index[order[k]] = k;
        var counts = new long[order.Count][];
        for (int k = 0; k < order.Count; k++) counts[k] = new long[order.Count];
        for (int s = 0; s < yTrue.Count; s++)
            if (index.TryGetValue(yTrue[s], out int i) && index.TryGetValue(yPred[s], out int j))
                counts[i][j]++;
        return new ConfusionMatrix<T>(order, counts);
    }

    /// <summary>Per-label precision, recall, F1 and support, in label order (scikit-learn <c>average=None</c>).</summary>
    public static IReadOnlyList<ScoreRow> PerClass<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred,
        IReadOnlyList<T>? labels = null) where T : notnull
        => Compute(yTrue, yPred, labels).Rows;

    /// <summary>Averaged precision, recall and F1 (scikit-learn <c>average='micro'|'macro'|'weighted'</c>).</summary>
    public static ScoreRow Average<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, Averaging averaging,
        IReadOnlyList<T>? labels = null) where T : notnull
    {
        var c = Compute(yTrue, yPred, labels);
        return averaging switch
        {
            Averaging.Micro => c.Micro,
            Averaging.Macro => PrfMath.Macro(c.Rows),
            Averaging.Weighted => PrfMath.Weighted(c.Rows),
            _ => throw new UserError($"{Metric}: unknown averaging '{averaging}'."),
        };
    }

    /// <summary>
    /// Everything at once, as scikit-learn's <c>classification_report(output_dict=True)</c>.
    /// <paramref name="targetNames"/> optionally renames the labels for display, in label order.
    /// </summary>
    public static ClassificationReport Report<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred,
        IReadOnlyList<T>? labels = null, IReadOnlyList<string>? targetNames = null) where T : notnull
    {
        var c = Compute(yTrue, yPred, labels);
        var rows = c.Rows;
        if (targetNames is not null)
        {
            if (targetNames.Count != rows.Count)
                throw new UserError(
                    $"{Metric}: {targetNames.Count} target name(s) given for {rows.Count} label(s); give one name per label.");
            rows = rows.Select((r, k) => r with { Name = targetNames[k] }).ToList();
        }
        // scikit-learn prints an "accuracy" row instead of "micro avg" when the scored labels cover
        // every label that occurs: micro-averaged F1 then equals accuracy.
        var present = new HashSet<T>(yTrue);
        present.UnionWith(yPred);
        bool microIsAccuracy = labels is null || present.IsSubsetOf(labels);
        return new ClassificationReport(rows, Accuracy(yTrue, yPred), c.Micro,
            PrfMath.Macro(rows), PrfMath.Weighted(rows), microIsAccuracy);
    }

    sealed record Counts(IReadOnlyList<ScoreRow> Rows, ScoreRow Micro);

    static Counts Compute<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred, IReadOnlyList<T>? labels) where T : notnull
    {
        Check(yTrue, yPred);
        var order = LabelOrder.Resolve(Metric, yTrue, yPred, labels);
        var index = new Dictionary<T, int>();
        for (int k = 0; k < order.Count; k++) index[order[k]] = k;
        var tp = new long[order.Count];
        var predicted = new long[order.Count];
        var actual = new long[order.Count];
        for (int s = 0; s < yTrue.Count; s++)
        {
            bool hasTrue = index.TryGetValue(yTrue[s], out int t);
            bool hasPred = index.TryGetValue(yPred[s], out int p);
            if (hasTrue) actual[t]++;
            if (hasPred) predicted[p]++;
            if (hasTrue && hasPred && t == p) tp[t]++;
        }
        var rows = new List<ScoreRow>(order.Count);
        for (int k = 0; k < order.Count; k++)
            rows.Add(PrfMath.Row(LabelOrder.Display(order[k]), tp[k], predicted[k], actual[k]));
        return new Counts(rows, PrfMath.Micro(tp, predicted, actual));
    }

    static void Check<T>(IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred)
    {
        EvalGuard.NotNull(Metric, yTrue, "y_true");
        EvalGuard.NotNull(Metric, yPred, "y_pred");
        EvalGuard.SameLength(Metric, yPred.Count, yTrue.Count, "y_pred", "y_true");
        EvalGuard.NotEmpty(Metric, yTrue.Count, "y_true");
    }
}

/// <summary>How per-label scores are combined into one number.</summary>
public enum Averaging
{
    /// <summary>Pool true positives, false positives and false negatives over all labels, then divide.</summary>
    Micro,
    /// <summary>Unweighted mean of the per-label scores.</summary>
    Macro,
    /// <summary>Mean of the per-label scores weighted by each label's support.</summary>
    Weighted,
}
