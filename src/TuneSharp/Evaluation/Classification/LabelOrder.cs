namespace TuneSharp.Evaluation;

/// <summary>
/// scikit-learn orders labels with <c>np.unique</c>: sorted ascending. Strings sort by code point
/// (ordinal), never by culture, so reports read the same on every machine.
/// </summary>
internal static class LabelOrder
{
    public static IComparer<T> Comparer<T>() where T : notnull
        => typeof(T) == typeof(string)
            ? (IComparer<T>)(object)StringComparer.Ordinal
            : System.Collections.Generic.Comparer<T>.Default;

    /// <summary>The labels to score: the caller's list (order kept), or the sorted union of both sides.</summary>
    public static IReadOnlyList<T> Resolve<T>(string metric, IReadOnlyList<T> yTrue, IReadOnlyList<T> yPred,
        IReadOnlyList<T>? labels) where T : notnull
    {
        if (labels is not null)
        {
            EvalGuard.NotEmpty(metric, labels.Count, "labels");
            if (labels.Distinct().Count() != labels.Count)
                throw new UserError($"{metric}: labels contains duplicates; each label may appear once.");
            return labels;
        }
        var set = new HashSet<T>(yTrue);
        set.UnionWith(yPred);
        var sorted = set.ToList();
        sorted.Sort(Comparer<T>());
        return sorted;
    }

    public static string Display<T>(T label) where T : notnull
        => Convert.ToString(label, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
