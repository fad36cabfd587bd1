using System.Text.Json.Nodes;
using TuneSharp.Tuning;
using TuneSharp.Tuning.Samplers;

namespace TuneSharp.Tests.Tuning;

public sealed class SamplerTests
{
    /// <summary>Trials a sampler needs until the shifted quadratic is below <paramref name="target"/> (budget + 1 if never).</summary>
    static int TrialsToTarget(string sampler, long seed, double target, int budget)
    {
        var settings = new SamplerSettings { Name = sampler, Seed = seed };
        var space = TestSpaces.Quadratic(settings, budget);
        var s = ISampler.Create(settings, maximize: false);
        var history = new List<TrialRecord>();
        for (int n = 0; n < budget; n++)
        {
            var p = s.Sample(space, history, n, _ => null);
            double f = TestSpaces.ShiftedQuadratic(p);
            if (f < target) return n + 1;
            history.Add(TestSpaces.Trial(n, TrialState.Complete, f, p));
        }
        return budget + 1;
    }

    [Fact]
    public void Tpe_reaches_a_target_on_a_shifted_quadratic_in_fewer_trials_than_random_over_ten_seeds()
    {
        // Target 0.05: a disc of radius 0.22 in a 10 × 10 square, 0.16% of the area; random search needs ~640 trials on average.
        const double target = 0.05;
        const int budget = 200;
        var tpe = Enumerable.Range(0, 10).Select(seed => TrialsToTarget("tpe", seed, target, budget)).ToList();
        var random = Enumerable.Range(0, 10).Select(seed => TrialsToTarget("random", seed, target, budget)).ToList();
        double Median(List<int> xs) => TuneSharp.Tuning.Pruners.MedianPruner.Median(xs.Select(x => (double)x).ToList());
        string both = $"TPE {string.Join(", ", tpe)} (median {Median(tpe)}) vs random {string.Join(", ", random)} (median {Median(random)})";
        Assert.True(tpe.All(n => n <= budget), $"TPE missed the target within {budget} trials: {both}");
        Assert.True(random.Count(n => n <= budget) <= 6, $"random search reached the target too often for this to be a test: {both}");
        Assert.True(Median(tpe) * 2 < Median(random), both);
    }

    [Fact]
    public void The_same_seed_and_trial_number_give_the_same_values_on_any_worker()
    {
        var settings = new SamplerSettings { Name = "tpe", Seed = 7, NStartupTrials = 3 };
        var space = TestSpaces.Quadratic(settings, 50);
        var history = Enumerable.Range(0, 6).Select(n => TestSpaces.Trial(n, TrialState.Complete, n, new JsonObject { ["x"] = n - 2.5, ["y"] = 1.0 })).ToList();
        var a = new TpeSampler(settings, false).Sample(space, history, 6, _ => null);
        var b = new TpeSampler(settings, false).Sample(space, history, 6, _ => null);
        Assert.Equal(a.ToJsonString(), b.ToJsonString());
        Assert.NotEqual(a.ToJsonString(), new TpeSampler(settings, false).Sample(space, history, 7, _ => null).ToJsonString());
    }

    [Fact]
    public void Tpe_after_startup_samples_near_the_good_trials()
    {
        // Good trials cluster at x ≈ 2 (low f); bad ones are spread elsewhere. TPE's proposals should lean to 2.
        var settings = new SamplerSettings { Name = "tpe", Seed = 1, NStartupTrials = 5 };
        var space = TestSpaces.Of("one", [new FloatParam("x", null, -10, 10, false, null, 4)], settings, trials: 100);
        var rng = new Random(0);
        var history = Enumerable.Range(0, 40).Select(n =>
        {
            double x = -10 + 20 * rng.NextDouble();
            return TestSpaces.Trial(n, TrialState.Complete, Math.Abs(x - 2), new JsonObject { ["x"] = x });
        }).ToList();
        var xs = Enumerable.Range(40, 30).Select(n => new TpeSampler(settings, false).Sample(space, history, n, _ => null)["x"]!.GetValue<double>()).ToList();
        Assert.True(xs.Count(x => Math.Abs(x - 2) < 2) >= 24, string.Join(", ", xs));
    }

    [Fact]
    public void Gamma_is_a_tenth_rounded_up_and_at_most_25()
    {
        Assert.Equal([1, 1, 2, 10, 25, 25], new[] { 1, 10, 11, 100, 250, 1000 }.Select(TpeSampler.Gamma).ToArray());
    }

    [Fact]
    public void Parzen_density_integrates_to_one_over_the_range()
    {
        var pe = new ParzenEstimator([0.1, 0.2, 0.25, 0.9], 0, 1, 1.0);
        int n = 20000;
        double integral = Enumerable.Range(0, n).Sum(i => Math.Exp(pe.LogPdf((i + 0.5) / n))) / n;
        Assert.InRange(integral, 0.995, 1.005);
        var rng = new Random(3);
        Assert.All(Enumerable.Range(0, 500).Select(_ => pe.Sample(rng)), x => Assert.InRange(x, 0, 1));
    }

    [Fact]
    public void Grid_visits_every_point_once_and_a_conditional_key_only_where_its_condition_holds()
    {
        var space = TestSpaces.Of("grid", [
            new CategoricalParam("method.type", null, [JsonValue.Create("lora"), JsonValue.Create("full")]),
            new IntParam("method.lora.r", new ParamCondition("method.type", ["lora"]), 4, 8, 4, false),
            new FloatParam("training.learning_rate", null, 1e-4, 1e-2, true, null, 3),
        ], new SamplerSettings { Name = "grid" });
        var grid = new GridSampler();
        Assert.Equal(9, grid.MaxTrials(space, _ => null)); // (lora × 2 ranks + full) × 3 rates
        var points = Enumerable.Range(0, 9).Select(n => grid.Sample(space, [], n, _ => null).ToJsonString()).ToList();
        Assert.Equal(9, points.Distinct().Count());
        Assert.Equal(3, points.Count(p => !p.Contains("method.lora.r", StringComparison.Ordinal)));
        Assert.Contains(points, p => p.Contains("0.001", StringComparison.Ordinal));
    }

    [Fact]
    public void Random_values_respect_ranges_steps_and_log_scale()
    {
        var r = new IntParam("method.lora.r", null, 2, 16, 2, false);
        var lr = new FloatParam("training.learning_rate", null, 1e-5, 1e-1, true, null, 4);
        var rng = new Random(5);
        var ranks = Enumerable.Range(0, 400).Select(_ => r.SampleUniform(rng).GetValue<long>()).ToList();
        Assert.All(ranks, v => Assert.True(v is >= 2 and <= 16 && v % 2 == 0, v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(8, ranks.Distinct().Count());
        var rates = Enumerable.Range(0, 2000).Select(_ => lr.SampleUniform(rng).GetValue<double>()).ToList();
        // Log-uniform: each decade gets about a quarter of the draws.
        Assert.InRange(rates.Count(x => x < 1e-4), 400, 600);
        Assert.InRange(rates.Count(x => x >= 1e-2), 400, 600);
    }
}
