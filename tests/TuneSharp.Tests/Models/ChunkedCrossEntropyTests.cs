using TorchSharp;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

[Collection(SequentialCollection.Name)]
public sealed class ChunkedCrossEntropyTests
{
    /// <summary>(loss, gradients by parameter name) of one backward of <paramref name="loss"/> on a fresh copy.</summary>
    static (float Loss, Dictionary<string, Tensor> Grads) Run(string fixture, Func<ICausalLM, Tensor, Tensor, Tensor> loss, bool freezeHead = false)
    {
        using var lm = Pretrained.LoadCausalLM(Fixtures.HfTiny(fixture));
        lm.Module.eval(); // no dropout: both paths must see the same network
        if (freezeHead) lm.LmHeadWeight!.requires_grad = false;
        var gen = new Generator(3);
        var ids = randint(4, lm.Info.VocabSize, [2, 13], generator: gen);
        var labels = ids.clone();
        labels[0, TensorIndex.Slice(9)] = tensor(CausalLMLoss.IgnoreIndex); // padding-like tail
        labels[1, 4] = tensor(CausalLMLoss.IgnoreIndex);
        var value = loss(lm, ids, labels);
        value.backward();
        var grads = lm.Module.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        return (value.item<float>(), grads);
    }

    static void AssertSame((float Loss, Dictionary<string, Tensor> Grads) plain, (float Loss, Dictionary<string, Tensor> Grads) chunked)
    {
        Assert.True(Math.Abs(plain.Loss - chunked.Loss) <= 1e-6 * Math.Abs(plain.Loss), $"loss {plain.Loss} vs {chunked.Loss}");
        Assert.Equal(plain.Grads.Keys.Order(), chunked.Grads.Keys.Order());
        foreach (var (name, g) in plain.Grads)
            Assert.True(g.allclose(chunked.Grads[name], rtol: 1e-4, atol: 1e-6),
                $"{name}: max difference {(g - chunked.Grads[name]).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData("tiny-gpt2", 0.0)]
    [InlineData("tiny-llama", 0.0)]
    [InlineData("tiny-llama", 0.1)]
    public void Same_loss_and_gradients_as_the_plain_path_in_chunks_of_five_rows(string fixture, double smoothing)
    {
        var plain = Run(fixture, (lm, ids, labels) => CausalLMLoss.Compute(lm.Forward(ids), labels, smoothing));
        var chunked = Run(fixture, (lm, ids, labels) => ChunkedCrossEntropy.Compute(lm.HiddenStates(ids), lm.LmHeadWeight!, labels, smoothing, chunkRows: 5));
        AssertSame(plain, chunked);
    }

    [Fact]
    public void A_frozen_projection_gets_no_gradient_and_the_rest_is_unchanged()
    {
        var plain = Run("tiny-llama", (lm, ids, labels) => CausalLMLoss.Compute(lm.Forward(ids), labels), freezeHead: true);
        var chunked = Run("tiny-llama", (lm, ids, labels) => ChunkedCrossEntropy.Compute(lm.HiddenStates(ids), lm.LmHeadWeight!, labels, chunkRows: 7), freezeHead: true);
        Assert.DoesNotContain("lm_head.weight", chunked.Grads.Keys); // tiny-llama's head is untied
        AssertSame(plain, chunked);
    }

    [Fact]
    public void A_scaled_loss_scales_the_gradients_and_sum_reduction_matches()
    {
        var plain = Run("tiny-gpt2", (lm, ids, labels) => CausalLMLoss.Compute(lm.Forward(ids), labels, sumInsteadOfMean: true) * 0.25);
        var chunked = Run("tiny-gpt2", (lm, ids, labels) => ChunkedCrossEntropy.Compute(lm.HiddenStates(ids), lm.LmHeadWeight!, labels, sumInsteadOfMean: true, chunkRows: 4) * 0.25);
        AssertSame(plain, chunked);
    }
}
