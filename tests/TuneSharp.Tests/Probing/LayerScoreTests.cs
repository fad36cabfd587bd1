using TuneSharp.Probing;

namespace TuneSharp.Tests.Probing;

public sealed class LayerScoreTests
{
    [Fact]
    public void Selectivity_is_accuracy_minus_control_accuracy()
    {
        var s = new LayerScore(Layer: 3, Accuracy: 0.91, ControlAccuracy: 0.64, ValidationAccuracy: 0.9, L2: 0.01, Iterations: 100);
        Assert.Equal(0.27, s.Selectivity, 12);
        Assert.Equal(-0.05, (s with { Accuracy = 0.59 }).Selectivity, 12);
        Assert.Equal("layer 3", s.Name);
        Assert.Equal("embeddings", (s with { Layer = 0 }).Name);
    }

    [Fact]
    public void Accuracy_counts_a_label_the_probe_cannot_know_as_an_error()
    {
        // -1 marks a test label absent from training: no prediction matches it.
        Assert.Equal(0.5, LayerProbe.Accuracy([0, 1, 2, 2], [0, 1, -1, 0]));
        Assert.Throws<ArgumentException>(() => LayerProbe.Accuracy([0], [0, 1]));
    }

    [Fact]
    public void The_best_layers_are_read_per_column()
    {
        LayerScore L(int layer, double acc, double control) => new(layer, acc, control, acc, 0.1, 10);
        var t = new ProbeTaskResult("pos", 10, 100, 50, 50, 0.2, [L(0, 0.80, 0.70), L(1, 0.90, 0.60), L(2, 0.85, 0.50)], 1, 1);
        Assert.Equal(1, t.BestByAccuracy.Layer);
        Assert.Equal(2, t.BestBySelectivity.Layer);
    }
}
