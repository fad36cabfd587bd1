namespace TuneSharp.Evaluation.Privacy;

/// <summary>
/// Canary exposure (Carlini et al. 2019, "The Secret Sharer"): exposure = log2|R| − log2 rank, where rank is the
/// canary's position when every secret of the randomness space R is ordered by the model's loss (1 = the model finds
/// the inserted secret the most likely of all). A model that memorised nothing ranks the canary near the middle
/// (exposure ≈ 1); a canary it can extract ranks first (exposure = log2|R|).
/// </summary>
public static class Exposure
{
    /// <summary>
    /// Exposure with the rank estimated from a uniform sample of R: rank ≈ 1 + (|R| − 1) · (share of sampled secrets
    /// whose loss is below the canary's). With every other secret of R as the sample it is the exact rank.
    /// </summary>
    public static double Estimate(double canaryLoss, IReadOnlyList<double> candidateLosses, double spaceSize)
    {
        if (candidateLosses.Count == 0) throw new ArgumentException("no candidates to rank against");
        if (spaceSize < 2) throw new ArgumentOutOfRangeException(nameof(spaceSize), "the randomness space needs at least 2 secrets");
        double below = candidateLosses.Count(l => l < canaryLoss) / (double)candidateLosses.Count;
        double rank = 1 + below * (spaceSize - 1);
        return Math.Log2(spaceSize) - Math.Log2(rank);
    }
}
