using TuneSharp.Training.Distillation;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training.Distillation;

/// <summary>The hidden-state term: projection shapes, the masked MSE by hand, and the default layer map.</summary>
// Builds modules, whose initialisation draws from torch's global generator: kept off tests that seed it.
[Collection(SequentialCollection.Name)]
public sealed class HiddenStateLossTests
{
    // output_hidden_states-style lists: embeddings + n layers, each (B=2, T=3, C).
    static List<Tensor> States(int layers, int width, int seed)
    {
        var g = new TorchSharp.torch.Generator((ulong)seed);
        return Enumerable.Range(0, layers + 1).Select(_ => randn([2, 3, width], generator: g)).ToList();
    }

    static readonly Tensor Mask = tensor(new long[] { 1, 1, 1, 1, 1, 0 }, [2, 3]); // the second row's last token is padding

    [Fact]
    public void Different_widths_get_one_trainable_projection_per_student_layer()
    {
        using var loss = new HiddenStateLoss(studentWidth: 4, teacherWidth: 6, layerMap: [1, 3]);
        Assert.True(loss.HasProjection);
        Assert.Equal(2, loss.proj.Count);
        Assert.All(loss.proj, p => Assert.Equal([6L, 4L], p.weight!.shape));
        using var value = loss.Loss(States(2, 4, 1), States(4, 6, 2), Mask);
        Assert.Empty(value.shape);
        value.backward();
        Assert.All(loss.proj, p => Assert.NotNull(p.weight!.grad));
    }

    [Fact]
    public void Equal_widths_compare_directly_over_real_tokens_only()
    {
        using var loss = new HiddenStateLoss(4, 4, layerMap: [2]);
        Assert.False(loss.HasProjection);
        var student = States(1, 4, 3);
        var teacher = States(3, 4, 4);
        // By hand: student layer 0's output (index 1) against teacher layer 2's (index 3), 5 real tokens × 4 channels.
        var s = student[1].data<float>().ToArray();
        var t = teacher[3].data<float>().ToArray();
        var mask = new[] { 1, 1, 1, 1, 1, 0 };
        double sum = 0;
        for (int token = 0; token < 6; token++)
            for (int c = 0; c < 4; c++) sum += mask[token] * Math.Pow(s[token * 4 + c] - t[token * 4 + c], 2);
        Assert.Equal(sum / (5 * 4), loss.Loss(student, teacher, Mask).item<float>(), 5);
        // What the padding position holds does not matter.
        student[1][1, 2] = full(4, 100f);
        Assert.Equal(sum / (5 * 4), loss.Loss(student, teacher, Mask).item<float>(), 5);
    }

    [Theory]
    [InlineData(3, 6, new[] { 1, 3, 5 })]
    [InlineData(2, 6, new[] { 2, 5 })]
    [InlineData(6, 6, new[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData(1, 2, new[] { 1 })]
    public void The_default_map_spaces_student_layers_evenly_with_the_last_on_the_last(int student, int teacher, int[] expected) =>
        Assert.Equal(expected, LayerMap.Evenly(student, teacher));

    [Fact]
    public void A_given_map_must_have_one_teacher_layer_per_student_layer()
    {
        Assert.Contains("2 entries for a student with 3 layer(s)", Assert.Throws<UserError>(() => LayerMap.Check([1, 2], 3, 6, "distillation.layer_map")).Message);
        Assert.Contains("6 is not a teacher layer (0..5)", Assert.Throws<UserError>(() => LayerMap.Check([1, 2, 6], 3, 6, "distillation.layer_map")).Message);
    }
}
