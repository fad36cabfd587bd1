using System.Text.Json.Nodes;

namespace TuneSharp.Tuning.Samplers;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al. 2011), univariate as in Optuna's default. After
/// <see cref="SamplerSettings.NStartupTrials"/> finished trials (complete or pruned) drawn at random:
/// <list type="number">
/// <item>rank the finished trials, complete ones by objective, then pruned ones (further steps first, then better
/// last value) — a pruned trial is worse than any complete one;</item>
/// <item>the best gamma(n) = min(ceil(0.1 n), 25) are "good", the rest "bad";</item>
/// <item>per parameter, fit Parzen estimators l(x) to the good trials' values and g(x) to the bad ones' (only trials
/// where the parameter was active);</item>
/// <item>draw <see cref="SamplerSettings.NEiCandidates"/> candidates from l(x) and keep the one with the highest
/// l(x)/g(x), which maximises expected improvement under the TPE model.</item>
/// </list>
/// </summary>
public sealed class TpeSampler(SamplerSettings settings, bool maximize) : ISampler
{
    const double PriorWeight = 1.0;

    /// <summary>Optuna's default gamma: the number of "good" trials among n.</summary>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    public JsonObject Sample(SearchSpace space, IReadOnlyList<TrialRecord> history, int number, Func<string, JsonNode?> lookup)
    {
        var rng = ISampler.TrialRandom(settings.Seed, number);
        var finished = history.Where(t => t.Params is not null && t.State is TrialState.Complete or TrialState.Pruned
            && (t.State == TrialState.Pruned || t.Value is not null)).ToList();
        if (finished.Count < settings.NStartupTrials)
            return space.SampleEach(lookup, p => p.SampleUniform(rng));

        var ranked = Rank(finished);
        int nGood = Gamma(ranked.Count);
        var good = ranked.Take(nGood).ToList();
        var bad = ranked.Skip(nGood).ToList();
        return space.SampleEach(lookup, p => SampleParam(p, good, bad, rng));
    }

    List<TrialRecord> Rank(List<TrialRecord> finished)
    {
        var complete = finished.Where(t => t.State == TrialState.Complete).OrderBy(t => maximize ? -t.Value!.Value : t.Value!.Value).ThenBy(t => t.Number);
        var pruned = finished.Where(t => t.State == TrialState.Pruned)
            .OrderByDescending(t => t.LastStep ?? -1)
            .ThenBy(t => t.LastStep is int s ? (maximize ? -t.Intermediate[s] : t.Intermediate[s]) : double.PositiveInfinity)
            .ThenBy(t => t.Number);
        return [.. complete, .. pruned];
    }

    JsonNode SampleParam(ParamSpec p, List<TrialRecord> good, List<TrialRecord> bad, Random rng)
    {
        // Oldest first, so that the default weights fade the oldest observations.
        List<double> Observed(List<TrialRecord> trials) => trials.OrderBy(t => t.Number)
            .Select(t => t.Params!.ContainsKey(p.Key) ? p.ToInternal(t.Params[p.Key]) : null)
            .Where(x => x is not null).Select(x => x!.Value).ToList();
        var (lo, hi) = p.InternalRange;

        if (p is CategoricalParam c)
        {
            var l = new ParzenEstimator.Categorical(Observed(good).Select(x => (int)x).ToList(), c.Choices.Count, PriorWeight);
            var g = new ParzenEstimator.Categorical(Observed(bad).Select(x => (int)x).ToList(), c.Choices.Count, PriorWeight);
            int best = -1; double bestScore = double.NegativeInfinity;
            for (int i = 0; i < settings.NEiCandidates; i++)
            {
                int x = l.Sample(rng);
                double score = l.LogPdf(x) - g.LogPdf(x);
                if (score > bestScore) { bestScore = score; best = x; }
            }
            return p.FromInternal(best);
        }

        var below = new ParzenEstimator(Observed(good), lo, hi, PriorWeight);
        var above = new ParzenEstimator(Observed(bad), lo, hi, PriorWeight);
        double chosen = double.NaN, top = double.NegativeInfinity;
        for (int i = 0; i < settings.NEiCandidates; i++)
        {
            double x = below.Sample(rng);
            double score = below.LogPdf(x) - above.LogPdf(x);
            if (score > top) { top = score; chosen = x; }
        }
        return p.FromInternal(chosen);
    }
}
