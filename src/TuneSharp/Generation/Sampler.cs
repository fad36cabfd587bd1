using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Generation;

/// <summary>Turns next-token logits (V,) into a token id under the decoding options.</summary>
public static class Sampler
{
    /// <summary>
    /// Masks the tokens a constraint forbids (<paramref name="allowed"/>, by id), applies the repetition penalty (over
    /// <paramref name="seen"/>: prompt and output) and OpenAI's presence and frequency penalties (over
    /// <paramref name="generated"/>: output only), then picks greedily or by temperature/top-k/top-p/min-p sampling.
    /// </summary>
    public static int Next(Tensor logits, GenerationOptions o, IReadOnlyCollection<int> seen, Generator? generator,
        IReadOnlyList<int>? generated = null, bool[]? allowed = null)
    {
        using var scope = NewDisposeScope();
        var x = logits.to_type(ScalarType.Float32).clone(); // (V,)
        if (allowed is not null)
        {
            var keep = zeros(x.shape[0], ScalarType.Bool);
            int n = (int)Math.Min(allowed.Length, x.shape[0]);
            keep.narrow(0, 0, n).copy_(tensor(allowed[..n]));
            x = x.masked_fill(keep.logical_not().to(x.device), double.NegativeInfinity);
        }
        if ((o.PresencePenalty != 0 || o.FrequencyPenalty != 0) && generated is { Count: > 0 })
        {
            // OpenAI: logit[t] -= count[t] * frequency_penalty + (count[t] > 0) * presence_penalty.
            var counts = generated.GroupBy(t => t).ToList();
            var idx = tensor(counts.Select(g => (long)g.Key).ToArray(), device: x.device);
            var penalty = tensor(counts.Select(g => (float)(g.Count() * o.FrequencyPenalty + o.PresencePenalty)).ToArray(), device: x.device);
            x.index_put_(x.index_select(0, idx) - penalty, idx);
        }
        if (o.RepetitionPenalty != 1.0 && seen.Count > 0)
        {
            // transformers: a seen token's logit is divided by the penalty if positive, multiplied if negative.
            var idx = tensor(seen.Distinct().Select(i => (long)i).ToArray(), device: x.device);
            var s = x.index_select(0, idx);
            s = where(s.gt(0), s / o.RepetitionPenalty, s * o.RepetitionPenalty);
            x.index_copy_(0, idx, s);
        }
        if (o.Temperature == 0) return (int)x.argmax().item<long>();

        x = x / o.Temperature;
        if (o.TopK > 0 && o.TopK < x.shape[0])
        {
            var kth = x.topk(o.TopK).values[-1];
            x = x.masked_fill(x.lt(kth), double.NegativeInfinity);
        }
        var probs = x.softmax(0);
        if (o.MinP > 0)
        {
            var floor = probs.max() * o.MinP;
            x = x.masked_fill(probs.lt(floor), double.NegativeInfinity);
            probs = x.softmax(0);
        }
        if (o.TopP < 1.0)
        {
            // Keep the smallest prefix of the sorted distribution whose mass reaches top_p (always the top token).
            var (sorted, order) = probs.sort(descending: true);
            var cumulative = sorted.cumsum(0);
            var drop = (cumulative - sorted).gt(o.TopP);
            var dropOriginal = zeros_like(drop).scatter(0, order, drop);
            x = x.masked_fill(dropOriginal, double.NegativeInfinity);
            probs = x.softmax(0);
        }
        return (int)multinomial(probs, 1, generator: generator).item<long>();
    }
}
