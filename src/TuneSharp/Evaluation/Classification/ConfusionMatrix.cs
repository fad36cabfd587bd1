namespace TuneSharp.Evaluation;

/// <summary>
/// A confusion matrix in scikit-learn's layout: <c>Counts[i][j]</c> is the number of samples whose true
/// label is <c>Labels[i]</c> and whose predicted label is <c>Labels[j]</c>.
/// </summary>
/// <param name="Labels">Row and column labels, in order.</param>
/// <param name="Counts">Square matrix of counts, rows = truth, columns = prediction.</param>
public sealed record ConfusionMatrix<T>(IReadOnlyList<T> Labels, IReadOnlyList<IReadOnlyList<long>> Counts)
    where T : notnull
{
    /// <summary>The count for a (true, predicted) pair of labels.</summary>
    public long this[T trueLabel, T predictedLabel]
    {
        get
        {
            int i = IndexOf(trueLabel), j = IndexOf(predictedLabel);
            return Counts[i][j];
        }
    }

    int IndexOf(T label)
    {
        for (int k = 0; k < Labels.Count; k++)
            if (EqualityComparer<T>.Default.Equals(Labels[k], label)) return k;
        throw new UserError($"confusion matrix: label '{label}' is not one of its labels.");
    }
}
