using TuneSharp.Models;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>Sentence embeddings from a causal LM: the mean of its last hidden states over each input's tokens.</summary>
public static class MeanEmbeddings
{
    /// <summary>
    /// (B, C) as rows: inputs are right-padded and the mask keeps pads out of both the attention (causal, so real
    /// tokens never see them) and the mean.
    /// </summary>
    public static IReadOnlyList<float[]> Of(ICausalLM lm, IReadOnlyList<IReadOnlyList<int>> inputs)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var rows = inputs.Select(e => e.ToArray()).ToList();
        var device = lm.Module.parameters().First().device;
        var m = Rows.Mask(rows, device);                                                                  // (B, T)
        var hidden = lm.HiddenStates(Rows.Pad(rows, lm.Info.PadTokenId ?? 0, device), m).to_type(ScalarType.Float32); // (B, T, C)
        var weights = m.unsqueeze(-1).to_type(ScalarType.Float32);                                      // (B, T, 1)
        var mean = (hidden * weights).sum(1) / weights.sum(1);                                          // (B, C)
        var cpu = mean.cpu();
        return Enumerable.Range(0, rows.Count).Select(b => cpu[b].data<float>().ToArray()).ToList();
    }
}
