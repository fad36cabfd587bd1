using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Common;

/// <summary>
/// Grows a token-indexed weight (an embedding table or an untied lm_head, both (V, C)) to more rows, as
/// transformers' <c>resize_token_embeddings(new_size, mean_resizing=True)</c> does for the mean: every new row
/// is the mean of the old rows. Transformers also adds a sample of N(0, 1e-9 · covariance) to each new row;
/// that noise is below float32 resolution for typical weights and is left out here, so new rows are exactly the
/// mean (deterministic). Shrinking is refused: it would silently drop token ids the tokenizer still produces.
/// </summary>
public static class EmbeddingResize
{
    /// <summary>
    /// A new (newRows, C) parameter: the old rows copied, the added rows set to the old rows' mean (computed in
    /// float64, stored in the weight's dtype), on the weight's device, with the weight's requires_grad.
    /// </summary>
    public static Parameter MeanRows(Tensor weight, int newRows)
    {
        long oldRows = weight.shape[0];
        if (newRows < oldRows)
            throw new UserError($"resize_token_embeddings: {newRows} rows is fewer than the {oldRows} the model has; shrinking is not supported");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grown = empty(newRows, weight.shape[1], dtype: weight.dtype, device: weight.device); // (V', C)
        grown.narrow(0, 0, oldRows).copy_(weight);
        if (newRows > oldRows)
        {
            var mean = weight.to_type(ScalarType.Float64).mean([0L]).to_type(weight.dtype);      // (C,)
            grown.narrow(0, oldRows, newRows - oldRows).copy_(mean.unsqueeze(0).expand(newRows - oldRows, -1));
        }
        return new Parameter(grown.DetachFromDisposeScope(), weight.requires_grad);
    }
}
