using TuneSharp.FewShot;

namespace TuneSharp.Tests.FewShot;

public sealed class ContrastivePairsTests
{
    static readonly int[] Labels = [0, 0, 1, 1, 2, 2, 2];

    [Fact]
    public void Each_example_and_iteration_gives_one_positive_of_its_label_and_one_negative_of_another()
    {
        var pairs = ContrastivePairs.Generate(Labels, iterations: 3, seed: 4);
        Assert.Equal(2 * 3 * Labels.Length, pairs.Count);
        var positives = pairs.Where(p => p.Target == 1f).ToList();
        var negatives = pairs.Where(p => p.Target == 0f).ToList();
        Assert.Equal(3 * Labels.Length, positives.Count);
        Assert.All(positives, p => Assert.Equal(Labels[p.First], Labels[p.Second]));
        Assert.All(negatives, p => Assert.NotEqual(Labels[p.First], Labels[p.Second]));
        // Every example anchors exactly 3 positives and 3 negatives.
        Assert.All(Enumerable.Range(0, Labels.Length), i => Assert.Equal(6, pairs.Count(p => p.First == i)));
    }

    [Fact]
    public void Pairs_are_seeded_shuffled_and_capped()
    {
        Assert.Equal(ContrastivePairs.Generate(Labels, 2, 1), ContrastivePairs.Generate(Labels, 2, 1));
        Assert.NotEqual(ContrastivePairs.Generate(Labels, 2, 1), ContrastivePairs.Generate(Labels, 2, 2));
        var pairs = ContrastivePairs.Generate(Labels, 2, 1);
        Assert.False(pairs.Take(Labels.Length).All(p => p.Target == pairs[0].Target), "positives and negatives should be mixed");
        Assert.Equal(5, ContrastivePairs.Generate(Labels, 2, 1, maxPairs: 5).Count);
    }

    [Fact]
    public void One_label_cannot_make_negative_pairs()
    {
        Assert.Throws<ArgumentException>(() => ContrastivePairs.Generate([0, 0, 0], 1, 1));
    }
}
