using static TorchSharp.torch;

namespace TuneSharp.Generation;

/// <summary>Log-probabilities of a chosen token and its top alternatives, from raw next-token logits.</summary>
public static class LogprobMath
{
    /// <summary>
    /// log_softmax of <paramref name="logits"/> (V,) in float32 (before temperature or filtering, as OpenAI reports
    /// them): the chosen token's value and the <paramref name="topK"/> largest, best first.
    /// </summary>
    public static TokenLogprob Of(Tensor logits, int chosen, int topK)
    {
        using var scope = NewDisposeScope();
        var lp = logits.to_type(ScalarType.Float32).log_softmax(0); // (V,)
        var top = new List<TopLogprob>();
        if (topK > 0)
        {
            var (values, indices) = lp.topk(Math.Min(topK, (int)lp.shape[0]));
            var v = values.data<float>().ToArray();
            var ix = indices.data<long>().ToArray();
            for (int i = 0; i < v.Length; i++) top.Add(new TopLogprob((int)ix[i], v[i]));
        }
        return new TokenLogprob(chosen, lp[chosen].item<float>(), top);
    }
}
