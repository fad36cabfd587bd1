namespace TuneSharp.Tuning.Samplers;

/// <summary>
/// A one-dimensional Parzen estimator as TPE uses it (Bergstra et al. 2011, with Optuna's defaults): one Gaussian,
/// truncated to [low, high], at each observation, plus a wide prior component at the middle of the range. Each
/// observation's bandwidth is the larger distance to its sorted neighbours (the outermost take their inner
/// neighbour), clipped to [range / min(100, n + 1), range] (Optuna's "magic clip", which keeps a tight cluster
/// from collapsing the density to spikes). Observations are weighted equally, except that beyond 25 the older
/// ones fade linearly (Optuna's default_weights). Categorical parameters use <see cref="Categorical"/> instead.
/// </summary>
public sealed class ParzenEstimator
{
    readonly double[] mu, sigma, logWeight;
    readonly double low, high;

    /// <param name="observations">Internal values, oldest first.</param>
    /// <param name="low">Lower end of the internal range.</param>
    /// <param name="high">Upper end of the internal range.</param>
    /// <param name="priorWeight">Weight of the prior component (Optuna: 1.0).</param>
    public ParzenEstimator(IReadOnlyList<double> observations, double low, double high, double priorWeight)
    {
        this.low = low; this.high = high;
        int n = observations.Count;
        double range = high - low;
        var order = Enumerable.Range(0, n).OrderBy(i => observations[i]).ToArray();
        var sigmas = new double[n];
        for (int k = 0; k < n; k++)
        {
            double x = observations[order[k]];
            double left = k == 0 ? low : observations[order[k - 1]];
            double right = k == n - 1 ? high : observations[order[k + 1]];
            double s = Math.Max(x - left, right - x);
            // Without endpoints: the outermost points look inward only (consider_endpoints = False).
            if (n >= 2 && k == 0) s = observations[order[1]] - x;
            if (n >= 2 && k == n - 1) s = x - observations[order[n - 2]];
            sigmas[order[k]] = s;
        }
        double minSigma = range / Math.Min(100.0, 1.0 + n);
        mu = [.. observations, 0.5 * (low + high)];
        sigma = [.. sigmas.Select(s => Math.Clamp(s, minSigma, range)), range];
        var weights = ObservationWeights(n).Append(priorWeight).ToArray();
        double total = weights.Sum();
        logWeight = weights.Select(w => Math.Log(w / total)).ToArray();
    }

    /// <summary>Optuna's default_weights: equal below 25 observations, else a ramp from 1/n for the older ones.</summary>
    public static double[] ObservationWeights(int n)
    {
        if (n < 25) return Enumerable.Repeat(1.0, n).ToArray();
        int ramp = n - 25;
        return Enumerable.Range(0, ramp).Select(i => ramp == 1 ? 1.0 / n : 1.0 / n + (1 - 1.0 / n) * i / (ramp - 1))
            .Concat(Enumerable.Repeat(1.0, 25)).ToArray();
    }

    /// <summary>log density of the truncated mixture at <paramref name="x"/>.</summary>
    public double LogPdf(double x)
    {
        double max = double.NegativeInfinity;
        var terms = new double[mu.Length];
        for (int i = 0; i < mu.Length; i++)
        {
            double mass = Gaussian.Cdf((high - mu[i]) / sigma[i]) - Gaussian.Cdf((low - mu[i]) / sigma[i]);
            terms[i] = logWeight[i] + Gaussian.LogPdf((x - mu[i]) / sigma[i]) - Math.Log(sigma[i]) - Math.Log(Math.Max(mass, 1e-12));
            max = Math.Max(max, terms[i]);
        }
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    /// <summary>A draw: pick a component by weight, then a normal draw inside [low, high] (rejection, rarely more than a few tries).</summary>
    public double Sample(Random rng)
    {
        double u = rng.NextDouble(), acc = 0;
        int c = mu.Length - 1;
        for (int i = 0; i < mu.Length; i++)
        {
            acc += Math.Exp(logWeight[i]);
            if (u < acc) { c = i; break; }
        }
        for (int tries = 0; tries < 1000; tries++)
        {
            double x = mu[c] + sigma[c] * Gaussian.Sample(rng);
            if (x >= low && x <= high) return x;
        }
        return Math.Clamp(mu[c], low, high);
    }

    /// <summary>
    /// The categorical counterpart: each observation adds its weight to its choice, the prior spreads its weight
    /// evenly over all choices.
    /// </summary>
    public sealed class Categorical
    {
        readonly double[] p;

        public Categorical(IReadOnlyList<int> observations, int choices, double priorWeight)
        {
            var w = ObservationWeights(observations.Count);
            p = Enumerable.Repeat(priorWeight / choices, choices).ToArray();
            for (int i = 0; i < observations.Count; i++) p[observations[i]] += w[i];
            double total = p.Sum();
            for (int i = 0; i < choices; i++) p[i] /= total;
        }

        public double LogPdf(int choice) => Math.Log(p[choice]);

        public int Sample(Random rng)
        {
            double u = rng.NextDouble(), acc = 0;
            for (int i = 0; i < p.Length; i++)
            {
                acc += p[i];
                if (u < acc) return i;
            }
            return p.Length - 1;
        }
    }
}
