namespace TuneSharp.Tuning.Samplers;

/// <summary>The normal distribution functions the Parzen estimator needs (.NET has no erf).</summary>
static class Gaussian
{
    /// <summary>log of the standard normal density.</summary>
    public static double LogPdf(double z) => -0.5 * z * z - 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Standard normal CDF.</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// Complementary error function, Numerical Recipes' erfcc (Chebyshev fit, relative error below 1.2e-7 everywhere),
    /// which keeps precision in the tails where 1 - erf would round to 0.
    /// </summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Sample(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
