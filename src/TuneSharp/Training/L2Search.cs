namespace TuneSharp.Training;

/// <summary>One penalty of an <see cref="L2Search"/>: its fit and, when there was a validation split, its score there.</summary>
/// <param name="Index">Position in the grid.</param>
/// <param name="L2">The penalty.</param>
/// <param name="Fit">The regression fitted on the training features with that penalty.</param>
/// <param name="Score">The validation score the search compares (null without validation).</param>
/// <param name="Metrics">All validation metrics of the fit (null without validation).</param>
public sealed record L2Trial(int Index, double L2, SoftmaxRegressionFit Fit, double? Score, IReadOnlyDictionary<string, double>? Metrics);

/// <summary>
/// The L2 penalty of a <see cref="SoftmaxRegression"/> chosen on validation data: one fit per penalty of the grid, the
/// best validation score kept (the first of equals, so the order of the grid breaks ties). Shared by the
/// frozen-features method and the layer probes, so both choose their penalty the same way.
/// </summary>
public static class L2Search
{
    /// <summary>
    /// Fits <paramref name="features"/> (N, D) for each penalty in <paramref name="grid"/> and returns the trial with the best
    /// score from <paramref name="validate"/>. Without <paramref name="validate"/> there is nothing to choose on: only the
    /// middle penalty of the grid is fitted. <paramref name="onTrial"/> sees every trial as it is made (for logs).
    /// </summary>
    public static L2Trial Best(float[,] features, int[] labels, int classes, IReadOnlyList<double> grid,
        Func<SoftmaxRegressionFit, (double Score, IReadOnlyDictionary<string, double> Metrics)>? validate, bool greaterIsBetter = true,
        Action<L2Trial>? onTrial = null, int maxIterations = 5000, double tolerance = 1e-6)
    {
        if (grid.Count == 0 || grid.Any(l => !(l > 0))) throw new ArgumentException("L2 penalties must be > 0", nameof(grid));
        var penalties = validate is null ? [grid[grid.Count / 2]] : grid;
        L2Trial? best = null;
        for (int i = 0; i < penalties.Count; i++)
        {
            var fit = SoftmaxRegression.Fit(features, labels, classes, penalties[i], maxIterations, tolerance);
            L2Trial trial;
            if (validate is null) trial = new(i, penalties[i], fit, null, null);
            else
            {
                var (score, metrics) = validate(fit);
                trial = new(i, penalties[i], fit, score, metrics);
            }
            onTrial?.Invoke(trial);
            if (best is null || (trial.Score is double s && (greaterIsBetter ? s > best.Score : s < best.Score))) best = trial;
        }
        return best!;
    }
}
