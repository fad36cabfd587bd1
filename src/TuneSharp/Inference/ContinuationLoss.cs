using TuneSharp.Models;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>
/// −log p(continuation | prefix) under a causal LM, in nats, summed over the continuation's tokens: the "log-perplexity"
/// the exposure metric ranks secrets by. Rows are batched, right-padded, and only continuation positions count.
/// </summary>
public static class ContinuationLoss
{
    public static double[] Of(ICausalLM model, HfTokenizer tokenizer, string prefix, IReadOnlyList<string> continuations, Device device, int batchSize = 64)
    {
        var prefixIds = tokenizer.Encode(prefix, addSpecialTokens: false).ToArray();
        var result = new double[continuations.Count];
        using var noGrad = no_grad();
        for (int start = 0; start < continuations.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batchSize, continuations.Count - start);
            // The continuation is tokenized with its leading space, as it follows the prefix in the training text.
            var rows = Enumerable.Range(start, n).Select(i => prefixIds.Concat(tokenizer.Encode(" " + continuations[i], addSpecialTokens: false)).ToArray()).ToList();
            int t = rows.Max(r => r.Length);
            var ids = new long[n * t];
            var weight = new float[n * (t - 1)];
            for (int b = 0; b < n; b++)
            {
                for (int j = 0; j < rows[b].Length; j++) ids[b * t + j] = rows[b][j];
                // Position j predicts token j+1; count the predictions of continuation tokens only.
                for (int j = prefixIds.Length - 1; j < rows[b].Length - 1; j++) weight[b * (t - 1) + j] = 1;
            }
            var input = tensor(ids, [n, t], device: device);                                     // (B, T)
            var mask = tensor(rows.SelectMany(r => Enumerable.Range(0, t).Select(j => j < r.Length ? 1L : 0L)).ToArray(), [n, t], device: device);
            var logits = model.Forward(input, mask).to_type(ScalarType.Float32);                // (B, T, V)
            var logp = logits[.., ..^1].log_softmax(-1).gather(-1, input[.., 1..].unsqueeze(-1)).squeeze(-1); // (B, T-1)
            var nll = -(logp * tensor(weight, [n, t - 1], device: device)).sum(1);              // (B,)
            var values = nll.cpu().data<float>().ToArray();
            for (int b = 0; b < n; b++) result[start + b] = values[b];
        }
        return result;
    }
}
