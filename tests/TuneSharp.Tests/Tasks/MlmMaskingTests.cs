using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Tasks;

/// <summary>BERT's 15 % / 80-10-10 masking: rates, positions that are never masked, and determinism under a seed.</summary>
// Sequential: one test draws twice from torch's global generator after seeding it, which parallel tests also draw from.
[Collection(SequentialCollection.Name)]
public class MlmMaskingTests
{
    const long Vocab = 500, MaskId = 4;

    // 64 rows of 128 ids in [10, 500); the first and last column are special, the last 28 positions of odd rows are padding.
    static (Tensor Ids, Tensor Maskable) Rows()
    {
        var ids = randint(10, Vocab, [64, 128], dtype: ScalarType.Int64, generator: new Generator(7));
        var maskable = ones(64, 128, dtype: ScalarType.Bool);
        maskable[.., 0] = false;
        maskable[.., 127] = false;
        for (int r = 1; r < 64; r += 2) maskable[r, TensorIndex.Slice(100)] = false;
        return (ids, maskable);
    }

    [Fact]
    public void About_15_percent_are_selected_and_split_80_10_10()
    {
        var (ids, maskable) = Rows();
        using var masked = MlmMasking.Apply(ids, maskable, MaskId, Vocab, 0.15, new Generator(1));
        var selected = masked.Labels.ne(-100);
        double candidates = maskable.sum().item<long>();
        double n = selected.sum().item<long>();
        Assert.InRange(n / candidates, 0.14, 0.16);
        double toMask = masked.InputIds.eq(MaskId).logical_and(selected).sum().item<long>();
        double kept = masked.InputIds.eq(ids).logical_and(selected).sum().item<long>();
        double random = n - toMask - kept;
        Assert.InRange(toMask / n, 0.77, 0.83);
        Assert.InRange(kept / n, 0.08, 0.12);   // includes the rare random draw of the same id (1/500 of 10 %)
        Assert.InRange(random / n, 0.08, 0.12);
        // Labels are the original ids where selected.
        Assert.True(masked.Labels.masked_select(selected).SameAs(ids.masked_select(selected)));
    }

    [Fact]
    public void Special_tokens_and_padding_are_never_selected_or_changed()
    {
        var (ids, maskable) = Rows();
        using var masked = MlmMasking.Apply(ids, maskable, MaskId, Vocab, 0.5, new Generator(2));
        var fixedPositions = maskable.logical_not();
        Assert.True(masked.Labels.masked_select(fixedPositions).eq(-100).all().item<bool>());
        Assert.True(masked.InputIds.masked_select(fixedPositions).SameAs(ids.masked_select(fixedPositions)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_masks_and_another_seed_others()
    {
        var (ids, maskable) = Rows();
        using var a = MlmMasking.Apply(ids, maskable, MaskId, Vocab, 0.15, new Generator(3));
        using var b = MlmMasking.Apply(ids, maskable, MaskId, Vocab, 0.15, new Generator(3));
        using var c = MlmMasking.Apply(ids, maskable, MaskId, Vocab, 0.15, new Generator(4));
        Assert.True(a.InputIds.SameAs(b.InputIds) && a.Labels.SameAs(b.Labels));
        Assert.False(a.Labels.SameAs(c.Labels));

        // Training draws from torch's global generator, which the trainer seeds and checkpoints.
        manual_seed(9);
        using var g1 = MlmMasking.Apply(ids, maskable, MaskId, Vocab, 0.15);
        manual_seed(9);
        using var g2 = MlmMasking.Apply(ids, maskable, MaskId, Vocab, 0.15);
        Assert.True(g1.InputIds.SameAs(g2.InputIds));
    }

    [Fact]
    public void A_probability_outside_0_1_is_a_user_error()
    {
        var (ids, maskable) = Rows();
        var e = Assert.Throws<UserError>(() => MlmMasking.Apply(ids, maskable, MaskId, Vocab, 1.0));
        Assert.Contains("mlm_probability", e.Message, StringComparison.Ordinal);
    }
}
