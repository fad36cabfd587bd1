using TuneSharp.Models;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>
/// Mean log-probability per token of the scored pieces of texts under a causal LM (for the generative swap test).
/// Each piece is tokenized on its own and the ids concatenated, so that the shared pieces of an original and a
/// counterfactual text are the same tokens; rows are right-padded and cut at <c>maxLength</c> tokens.
/// </summary>
public static class PieceLogProb
{
    public static double[] Of(ICausalLM model, HfTokenizer tokenizer, IReadOnlyList<IReadOnlyList<(string Text, bool Scored)>> texts,
        Device device, int maxLength = 256, int batchSize = 16)
    {
        var result = new double[texts.Count];
        using var noGrad = no_grad();
        for (int start = 0; start < texts.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int n = Math.Min(batchSize, texts.Count - start);
            var rows = new List<(List<long> Ids, List<bool> Scored)>();
            for (int i = start; i < start + n; i++)
            {
                var ids = new List<long>(); var scored = new List<bool>();
                foreach (var (text, isScored) in texts[i])
                    foreach (var id in tokenizer.Encode(text, addSpecialTokens: false)) { ids.Add(id); scored.Add(isScored); }
                if (ids.Count > maxLength) { ids.RemoveRange(maxLength, ids.Count - maxLength); scored.RemoveRange(maxLength, scored.Count - maxLength); }
                rows.Add((ids, scored));
            }
            int t = Math.Max(2, rows.Max(r => r.Ids.Count));
            var ids2 = new long[n * t]; var mask = new long[n * t]; var weight = new float[n * (t - 1)];
            for (int b = 0; b < n; b++)
                for (int j = 0; j < rows[b].Ids.Count; j++)
                {
                    ids2[b * t + j] = rows[b].Ids[j]; mask[b * t + j] = 1;
                    // Position j-1 predicts token j; the first token of a row has no prediction.
                    if (j > 0 && rows[b].Scored[j]) weight[b * (t - 1) + j - 1] = 1;
                }
            var input = tensor(ids2, [n, t], device: device);                                              // (B, T)
            var logits = model.Forward(input, tensor(mask, [n, t], device: device)).to_type(ScalarType.Float32); // (B, T, V)
            var logp = logits[.., ..^1].log_softmax(-1).gather(-1, input[.., 1..].unsqueeze(-1)).squeeze(-1);     // (B, T-1)
            var w = tensor(weight, [n, t - 1], device: device);
            var mean = ((logp * w).sum(1) / w.sum(1)).cpu().to_type(ScalarType.Float64).data<double>().ToArray(); // NaN when nothing scored
            Array.Copy(mean, 0, result, start, n);
        }
        return result;
    }
}
