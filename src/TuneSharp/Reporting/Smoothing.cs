namespace TuneSharp.Reporting;

/// <summary>Smoothing of a noisy per-step curve, as TensorBoard draws it.</summary>
static class Smoothing
{
    /// <summary>
    /// Exponential moving average with bias correction, so the first points are not pulled towards zero.
    /// The weight grows with the number of points: a 20-step run keeps its shape, a 5000-step run reads as a trend.
    /// </summary>
    public static double[] Ema(IReadOnlyList<double> values)
    {
        double weight = WeightFor(values.Count);
        var smoothed = new double[values.Count];
        double average = 0, correction = 1;
        for (int i = 0; i < values.Count; i++)
        {
            average = weight * average + (1 - weight) * values[i];
            correction *= weight;
            smoothed[i] = correction < 1 ? average / (1 - correction) : values[i];
        }
        return smoothed;
    }

    internal static double WeightFor(int count) => Math.Clamp(1 - 6.0 / Math.Max(count, 1), 0, 0.98);
}
