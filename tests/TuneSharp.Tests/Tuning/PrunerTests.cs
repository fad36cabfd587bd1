using TuneSharp.Tuning;
using TuneSharp.Tuning.Pruners;

namespace TuneSharp.Tests.Tuning;

public sealed class PrunerTests
{
    static TrialRecord Done(int n, params (int Step, double Value)[] steps) =>
        TestSpaces.Trial(n, TrialState.Complete, steps[^1].Value, steps: steps.ToDictionary(s => s.Step, s => s.Value));

    static TrialRecord Running(int n, params (int Step, double Value)[] steps) =>
        TestSpaces.Trial(n, TrialState.Running, null, steps: steps.ToDictionary(s => s.Step, s => s.Value));

    [Fact]
    public void Median_prunes_a_trial_whose_best_value_so_far_is_below_the_completed_median_at_that_step()
    {
        var done = new[] { Done(0, (10, 0.5), (20, 0.7)), Done(1, (10, 0.6), (20, 0.8)), Done(2, (10, 0.7), (20, 0.9)) };
        var pruner = new MedianPruner(nStartupTrials: 3, nWarmupSteps: 0);
        var low = Running(3, (10, 0.55));
        Assert.True(pruner.ShouldPrune(low, [.. done, low], 10, maximize: true)); // 0.55 < median 0.6
        var ok = Running(4, (10, 0.65));
        Assert.False(pruner.ShouldPrune(ok, [.. done, ok], 10, maximize: true));
        // The best value so far counts, not the last one: 0.8 at step 10 keeps it at step 20 despite 0.75 < 0.8.
        var dipped = Running(5, (10, 0.8), (20, 0.75));
        Assert.False(pruner.ShouldPrune(dipped, [.. done, dipped], 20, maximize: true));
        // Minimizing, the rule flips.
        Assert.False(pruner.ShouldPrune(low, [.. done, low], 10, maximize: false));
    }

    [Fact]
    public void Median_waits_for_its_startup_trials_and_warmup_steps_and_ignores_steps_nobody_completed()
    {
        var done = new[] { Done(0, (10, 0.5)), Done(1, (10, 0.6)) };
        var bad = Running(2, (10, 0.1));
        Assert.False(new MedianPruner(3, 0).ShouldPrune(bad, [.. done, bad], 10, true)); // 2 completed < 3
        Assert.False(new MedianPruner(2, 11).ShouldPrune(bad, [.. done, bad], 10, true)); // step 10 < warm-up 11
        Assert.True(new MedianPruner(2, 10).ShouldPrune(bad, [.. done, bad], 10, true));
        var elsewhere = Running(3, (15, 0.1));
        Assert.False(new MedianPruner(2, 0).ShouldPrune(elsewhere, [.. done, elsewhere], 15, true));
        // Pruned and running trials do not count as completed.
        var pruned = TestSpaces.Trial(4, TrialState.Pruned, null, steps: new() { [10] = 0.9 });
        Assert.False(new MedianPruner(3, 0).ShouldPrune(bad, [.. done, pruned, bad], 10, true));
    }

    [Fact]
    public void Median_of_an_even_count_averages_the_middle_two()
    {
        Assert.Equal(2.5, MedianPruner.Median([4, 1, 3, 2]));
        Assert.Equal(3, MedianPruner.Median([5, 3, 1]));
    }

    [Fact]
    public void Asha_promotes_only_the_top_third_at_each_rung_and_judges_each_rung_once()
    {
        // Rungs at 2, 6, 18 steps; reduction factor 3.
        var asha = new AshaPruner(minResource: 2, reductionFactor: 3);
        var others = new List<TrialRecord> { Done(0, (2, 0.9), (6, 0.95)), Done(1, (2, 0.5), (6, 0.6)), Running(2, (2, 0.4)) };
        // At rung 0 with 4 competitors (3 others + itself), promotable index = 4/3 - 1 = 0: only the very best passes.
        var mid = Running(3, (2, 0.6));
        Assert.True(asha.ShouldPrune(mid, [.. others, mid], 2, maximize: true));
        var top = Running(4, (2, 0.95));
        Assert.False(asha.ShouldPrune(top, [.. others, top], 2, maximize: true));
        // Between rungs nothing is judged, even with a bad value.
        var between = top with { Intermediate = new SortedDictionary<int, double> { [2] = 0.95, [4] = 0.1 } };
        Assert.False(asha.ShouldPrune(between, [.. others, between], 4, maximize: true));
        // At rung 1 (step 6) it competes with the two trials there: 3 competitors → top 1; 0.97 beats 0.95 and 0.6.
        var later = top with { Intermediate = new SortedDictionary<int, double> { [2] = 0.95, [4] = 0.1, [6] = 0.97 } };
        Assert.False(asha.ShouldPrune(later, [.. others, later], 6, maximize: true));
        var worse = top with { Intermediate = new SortedDictionary<int, double> { [2] = 0.95, [6] = 0.7 } };
        Assert.True(asha.ShouldPrune(worse, [.. others, worse], 6, maximize: true));
    }

    [Fact]
    public void Asha_lets_the_first_trial_at_a_rung_through_and_prunes_nan()
    {
        var asha = new AshaPruner(1, 3);
        var first = Running(0, (1, 0.1));
        Assert.False(asha.ShouldPrune(first, [first], 1, maximize: true));
        var nan = Running(1, (1, double.NaN));
        Assert.True(asha.ShouldPrune(nan, [first, nan], 1, maximize: true));
    }

    [Fact]
    public void Asha_passing_several_rungs_in_one_report_is_judged_at_each()
    {
        var asha = new AshaPruner(1, 2); // rungs 1, 2, 4, 8
        var a = Done(0, (8, 0.9));       // reached every rung with 0.9 (its first value at or past each)
        var b = Running(1, (8, 0.5));    // first report at step 8: rungs 1, 2, 4, 8 at once
        Assert.True(asha.ShouldPrune(b, [a, b], 8, maximize: true)); // 2 competitors → top 1 → 0.9 wins
        Assert.False(asha.ShouldPrune(b, [a, b], 8, maximize: false));
    }
}
