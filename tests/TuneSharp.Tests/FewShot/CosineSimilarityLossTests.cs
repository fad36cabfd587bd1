using TuneSharp.FewShot;
using static TorchSharp.torch;

namespace TuneSharp.Tests.FewShot;

public sealed class CosineSimilarityLossTests
{
    [Fact]
    public void The_loss_is_the_mean_squared_gap_between_cosine_and_target()
    {
        using var scope = NewDisposeScope();
        var u = tensor(new float[] { 1, 0, 3, 4 }, [2, 2]);
        var v = tensor(new float[] { 1, 1, 4, 3 }, [2, 2]);
        // cos(u0, v0) = 1/√2; cos(u1, v1) = 24/25. Targets 1 and 0.
        double expected = (Math.Pow(1 / Math.Sqrt(2) - 1, 2) + Math.Pow(24.0 / 25, 2)) / 2;
        double loss = CosineSimilarityLoss.Compute(u, v, tensor(new float[] { 1, 0 })).item<float>();
        Assert.Equal(expected, loss, 5);
    }
}
