using TuneSharp.Evaluation;

namespace TuneSharp.Tests.Evaluation;

/// <summary>
/// Perplexity has no reference test file to quote; these are closed-form identities: a model that is
/// uniform over V tokens has NLL ln V per token and perplexity exactly V, and token weighting is
/// sum(loss_i * n_i) / sum(n_i).
/// </summary>
public class PerplexityTests
{
    [Fact]
    public void UniformModelOverVocabularyHasPerplexityV()
    {
        Assert.Equal(50257, Perplexity.FromMeanLoss(Math.Log(50257)), 6);
        Assert.Equal(1.0, Perplexity.FromMeanLoss(0));
    }

    [Fact]
    public void BatchesAreWeightedByTokens()
    {
        // (2.0 over 10 tokens, 1.0 over 30 tokens): (20 + 30) / 40 = 1.25 nats per token, not the 1.5 of a plain mean.
        Assert.Equal(Math.Exp(1.25), Perplexity.FromBatches([(2.0, 10), (1.0, 30)]), 12);
        var acc = new PerplexityAccumulator();
        acc.Add(2.0, 10);
        acc.Add(1.0, 30);
        acc.Add(5.0, 0); // an all-padding batch contributes nothing
        Assert.Equal(40, acc.Tokens);
        Assert.Equal(1.25, acc.MeanLoss, 12);
        Assert.Equal(Math.Exp(1.25), acc.Perplexity, 12);
    }

    [Fact]
    public void BadInputIsAUserError()
    {
        var e = Assert.Throws<UserError>(() => new PerplexityAccumulator().Perplexity);
        Assert.Contains("no tokens were evaluated", e.Message);
        Assert.Throws<UserError>(() => Perplexity.FromMeanLoss(double.NaN));
        Assert.Throws<UserError>(() => Perplexity.FromMeanLoss(-0.5));
        Assert.Throws<UserError>(() => new PerplexityAccumulator().Add(1.0, -3));
        Assert.Throws<UserError>(() => new PerplexityAccumulator().Add(double.PositiveInfinity, 3));
    }
}
