using TuneSharp.Training;

namespace TuneSharp.Probing;

/// <summary>One split of a probing task at one layer: features (N, C), the real labels and the control labels (N,).</summary>
/// <param name="Features">(N, C) float32, one row per word or passage.</param>
/// <param name="Labels">Real label indices; -1 for a label the training split never shows (the probe cannot predict it, so it counts as an error).</param>
/// <param name="ControlLabels">The control task's label of each row (N,).</param>
public sealed record ProbeSplit(float[,] Features, int[] Labels, int[] ControlLabels);

/// <summary>
/// A linear probe of one layer: multinomial logistic regression (<see cref="SoftmaxRegression"/>) with its L2 penalty
/// chosen on validation accuracy (<see cref="L2Search"/>), then the same probe (same penalty, as Hewitt &amp; Liang
/// compare probes of one configuration) fitted to the control labels. Both are scored on the test split.
/// </summary>
public static class LayerProbe
{
    /// <summary>Fits and scores the probe of <paramref name="layer"/>; <paramref name="classes"/> labels, indices 0..classes-1.</summary>
    public static LayerScore Fit(int layer, ProbeSplit train, ProbeSplit validation, ProbeSplit test, int classes, IReadOnlyList<double> grid, ProbeSolver solver)
    {
        var best = L2Search.Best(train.Features, train.Labels, classes, grid, fit =>
        {
            double a = Accuracy(fit.Predict(validation.Features), validation.Labels);
            return (a, new Dictionary<string, double> { ["accuracy"] = a });
        }, greaterIsBetter: true, onTrial: null, solver.MaxIterations, solver.Tolerance);
        var control = SoftmaxRegression.Fit(train.Features, train.ControlLabels, classes, best.L2, solver.MaxIterations, solver.Tolerance);
        return new LayerScore(layer,
            Accuracy(best.Fit.Predict(test.Features), test.Labels),
            Accuracy(control.Predict(test.Features), test.ControlLabels),
            best.Score!.Value, best.L2, best.Fit.Iterations);
    }

    /// <summary>The share of rows where <paramref name="predicted"/> equals <paramref name="truth"/>.</summary>
    public static double Accuracy(IReadOnlyList<int> predicted, IReadOnlyList<int> truth)
    {
        if (predicted.Count != truth.Count) throw new ArgumentException($"{predicted.Count} predictions for {truth.Count} labels");
        if (truth.Count == 0) throw new ArgumentException("no rows to score");
        int right = 0;
        for (int i = 0; i < truth.Count; i++) if (predicted[i] == truth[i]) right++;
        return (double)right / truth.Count;
    }
}

/// <summary>
/// How long each probe's regression may run. A probe needs the argmax right, not the optimum to six digits, and a run
/// fits (grid + 1) × layers regressions, so the tolerance is looser than <see cref="SoftmaxRegression"/>'s default and
/// the steps are capped: with the smallest penalties the cap, not the tolerance, ends the fit (early stopping acts as
/// extra regularisation there; the validation split still chooses among the fits as they are).
/// </summary>
public sealed record ProbeSolver(int MaxIterations = 200, double Tolerance = 1e-4);
