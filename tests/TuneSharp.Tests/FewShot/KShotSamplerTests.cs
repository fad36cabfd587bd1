using TuneSharp.FewShot;

namespace TuneSharp.Tests.FewShot;

public sealed class KShotSamplerTests
{
    // 10 "a", 5 "b", 2 "c", interleaved as a file might be.
    static readonly string[] Rows = ["a", "b", "a", "c", "a", "b", "a", "a", "b", "a", "c", "a", "b", "a", "a", "b", "a"];
    static readonly string[] Labels = ["a", "b", "c"];

    [Fact]
    public void Each_class_gives_k_rows_of_its_own_label_and_short_classes_give_all_they_have()
    {
        var s = KShotSampler.Sample(Rows, Labels, 4, seed: 1);
        Assert.Equal(4 + 4 + 2, s.Indices.Count);
        Assert.Equal(["a", "a", "a", "a", "b", "b", "b", "b", "c", "c"], s.Indices.Select(i => Rows[i]));
        Assert.Equal(s.Indices.Count, s.Indices.Distinct().Count());
        Assert.Equal(new Dictionary<string, int> { ["c"] = 2 }, s.Shortfalls);
    }

    [Fact]
    public void The_draw_is_a_function_of_the_seed_and_sets_are_nested_over_k()
    {
        Assert.Equal(KShotSampler.Sample(Rows, Labels, 3, 5).Indices, KShotSampler.Sample(Rows, Labels, 3, 5).Indices);
        Assert.NotEqual(KShotSampler.Sample(Rows, Labels, 3, 5).Indices, KShotSampler.Sample(Rows, Labels, 3, 6).Indices);
        var small = KShotSampler.Sample(Rows, Labels, 2, 9).Indices;
        var large = KShotSampler.Sample(Rows, Labels, 4, 9).Indices;
        Assert.Equal(small.Where(i => Rows[i] == "a"), large.Where(i => Rows[i] == "a").Take(2));
        Assert.Equal(small.Where(i => Rows[i] == "b"), large.Where(i => Rows[i] == "b").Take(2));
    }

    [Fact]
    public void Seeds_spread_over_the_class_rather_than_always_taking_its_first_rows()
    {
        var firsts = Enumerable.Range(0, 20).Select(seed => KShotSampler.Sample(Rows, Labels, 1, seed).Indices[0]).Distinct().Count();
        Assert.True(firsts >= 5, $"20 seeds drew only {firsts} distinct first 'a' rows");
    }
}
