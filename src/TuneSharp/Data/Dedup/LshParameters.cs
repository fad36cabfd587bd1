namespace TuneSharp.Data.Dedup;

/// <summary>
/// Bands × rows for locality-sensitive hashing. Two texts with Jaccard similarity s share at least one band
/// with probability 1 − (1 − s^r)^b. <see cref="ForThreshold"/> picks b and r (b·r ≤ permutations) that
/// minimise the equally weighted false-positive area (s below the threshold) plus false-negative area (s at or
/// above it) of that curve, the same criterion as datasketch's MinHashLSH.
/// </summary>
public readonly record struct LshParameters(int Bands, int Rows)
{
    const double FalsePositiveWeight = 0.1, FalseNegativeWeight = 0.9;

    /// <summary>The optimal bands and rows for a Jaccard threshold.</summary>
    public static LshParameters ForThreshold(double threshold, int permutations)
    {
        var best = new LshParameters(1, permutations);
        double bestError = double.MaxValue;
        for (int b = 1; b <= permutations; b++)
        {
            for (int r = 1; b * r <= permutations; r++)
            {
                double error = FalsePositiveWeight * Integrate(s => Candidate(s, b, r), 0, threshold)
                    + FalseNegativeWeight * Integrate(s => 1 - Candidate(s, b, r), threshold, 1);
                if (error < bestError) { bestError = error; best = new LshParameters(b, r); }
            }
        }
        return best;
    }

    /// <summary>Probability that a pair with Jaccard s becomes a candidate.</summary>
    public double CandidateProbability(double s) => Candidate(s, Bands, Rows);

    static double Candidate(double s, int b, int r) => 1 - Math.Pow(1 - Math.Pow(s, r), b);

    static double Integrate(Func<double, double> f, double a, double b)
    {
        const int steps = 200; // midpoint rule: smooth integrand, plenty for choosing integers
        double h = (b - a) / steps, sum = 0;
        for (int i = 0; i < steps; i++) sum += f(a + (i + 0.5) * h);
        return sum * h;
    }
}
