using TuneSharp.Training;

namespace TuneSharp.Tests.Training;

public sealed class MultiTaskMixingTests
{
    static readonly int[] Counts = [1000, 250, 50];

    static int TaskOf(int index) => index < 1000 ? 0 : index < 1250 ? 1 : 2;

    static double[] Shares(MultiTaskMixing mixing, int epochs)
    {
        var counts = new double[Counts.Length];
        for (int e = 0; e < epochs; e++)
            foreach (var batch in mixing.Batches(e)) counts[TaskOf(batch[0])]++;
        return counts.Select(c => c / counts.Sum()).ToArray();
    }

    [Theory]
    [InlineData("proportional", 2.0)]
    [InlineData("temperature", 2.0)]
    [InlineData("temperature", 1.0)]
    [InlineData("temperature", 100.0)]
    [InlineData("round_robin", 2.0)]
    public void Sampling_proportions_are_within_tolerance_over_many_batches(string mode, double temperature)
    {
        var mixing = new MultiTaskMixing(Counts, batchSize: 10, seed: 7, mode, temperature);
        var expected = mixing.Probabilities();
        var shares = Shares(mixing, epochs: 40);                       // 40 × 130 = 5,200 batches
        for (int t = 0; t < Counts.Length; t++) Assert.InRange(shares[t], expected[t] - 0.02, expected[t] + 0.02);
    }

    [Fact]
    public void Temperature_probabilities_follow_n_to_the_one_over_T()
    {
        var p = new MultiTaskMixing(Counts, 10, 1, "temperature", 2).Probabilities();
        double z = Counts.Sum(n => Math.Sqrt(n));
        for (int t = 0; t < Counts.Length; t++) Assert.Equal(Math.Sqrt(Counts[t]) / z, p[t], 12);
        var one = new MultiTaskMixing(Counts, 10, 1, "temperature", 1).Probabilities();
        Assert.Equal(1000.0 / 1300, one[0], 12);                       // T = 1: proportional to the examples
        var hot = new MultiTaskMixing(Counts, 10, 1, "temperature", 1e6).Probabilities();
        Assert.All(hot, x => Assert.Equal(1.0 / 3, x, 4));              // T → ∞: uniform
    }

    [Theory]
    [InlineData("proportional")]
    [InlineData("temperature")]
    [InlineData("round_robin")]
    public void Every_batch_holds_one_tasks_examples_and_an_epoch_is_all_tasks_batches(string mode)
    {
        var batches = new MultiTaskMixing(Counts, 16, 3, mode).Batches(0);
        Assert.Equal(63 + 16 + 4, batches.Count);                      // ⌈1000/16⌉ + ⌈250/16⌉ + ⌈50/16⌉
        foreach (var b in batches)
        {
            Assert.All(b, i => Assert.InRange(i, 0, 1299));
            Assert.All(b, i => Assert.Equal(TaskOf(b[0]), TaskOf(i)));
            Assert.Equal(b.Length, b.Distinct().Count());
        }
    }

    [Fact]
    public void Proportional_mixing_shows_every_example_once_per_epoch()
    {
        var all = new MultiTaskMixing(Counts, 16, 3).Batches(2).SelectMany(b => b).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 1300), all);
    }

    [Fact]
    public void Round_robin_takes_the_tasks_in_turn_and_repeats_the_small_ones()
    {
        var tasks = new MultiTaskMixing(Counts, 100, 3, "round_robin").Batches(0).Select(b => TaskOf(b[0])).ToList();
        Assert.Equal([0, 1, 2, 0, 1, 2], tasks.Take(6));
        // Task 2 has one batch of 50 per pass: its batches repeat with a fresh shuffle.
        var small = new MultiTaskMixing(Counts, 100, 3, "round_robin").Batches(0).Where(b => TaskOf(b[0]) == 2).ToList();
        Assert.Equal(Enumerable.Range(1250, 50), small[0].Order());
        Assert.NotEqual(small[0], small[1]);
    }

    [Theory]
    [InlineData("proportional")]
    [InlineData("temperature")]
    [InlineData("round_robin")]
    public void Batches_are_a_pure_function_of_seed_and_epoch(string mode)
    {
        var a = new MultiTaskMixing(Counts, 16, 11, mode);
        var b = new MultiTaskMixing(Counts, 16, 11, mode);
        Assert.Equal(a.Batches(3), b.Batches(3));
        Assert.Equal(a.Batches(3), a.Batches(3));
        Assert.NotEqual(a.Batches(3), a.Batches(4));
        Assert.NotEqual(a.Batches(3), new MultiTaskMixing(Counts, 16, 12, mode).Batches(3));
    }

    [Fact]
    public void An_unknown_mode_or_a_bad_temperature_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => new MultiTaskMixing(Counts, 16, 1, "random"));
        Assert.Equal("multi_task.mixing: 'random' is not proportional, temperature, round_robin", e.Message);
        Assert.Throws<UserError>(() => new MultiTaskMixing(Counts, 16, 1, "temperature", 0));
    }
}
