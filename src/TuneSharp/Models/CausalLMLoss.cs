using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models;

/// <summary>Next-token cross-entropy as transformers computes it for *ForCausalLM models.</summary>
public static class CausalLMLoss
{
    /// <summary>The label value that takes no part in the loss (padding, prompt tokens).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>
    /// logits (B, T, V), labels (B, T) aligned with the inputs: position t predicts labels[t+1].
    /// Mean over the labels that are not -100, computed in (at least) float32. With <paramref name="sumInsteadOfMean"/>
    /// the sum is returned (for gradient accumulation that divides by the token count of the whole step).
    /// </summary>
    public static Tensor Compute(Tensor logits, Tensor labels, double labelSmoothing = 0.0, bool sumInsteadOfMean = false)
    {
        using var scope = NewDisposeScope();
        long V = logits.shape[^1];
        // At least float32 (bf16/fp16 logits are upcast as transformers does; float64 stays float64).
        var shiftLogits = logits.narrow(1, 0, logits.shape[1] - 1);                              // (B, T-1, V)
        if (shiftLogits.dtype != ScalarType.Float64) shiftLogits = shiftLogits.to_type(ScalarType.Float32);
        var shiftLabels = labels.to(logits.device).narrow(1, 1, labels.shape[1] - 1);             // (B, T-1)
        var loss = nn.functional.cross_entropy(shiftLogits.reshape(-1, V), shiftLabels.reshape(-1),
            ignore_index: IgnoreIndex,
            reduction: sumInsteadOfMean ? nn.Reduction.Sum : nn.Reduction.Mean,
            label_smoothing: labelSmoothing);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>labels = input_ids with padding (attention_mask 0) set to -100, as the fixtures use.</summary>
    public static Tensor LabelsFromInputs(Tensor inputIds, Tensor? attentionMask)
    {
        if (attentionMask is null) return inputIds.clone();
        using var scope = NewDisposeScope();
        return inputIds.masked_fill(attentionMask.eq(0), IgnoreIndex).MoveToOuterDisposeScope();
    }
}
