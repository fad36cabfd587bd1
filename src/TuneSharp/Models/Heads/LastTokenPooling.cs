using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// Where decoder classifiers (LlamaForSequenceClassification, GPT2ForSequenceClassification) read a row:
/// the rightmost token that is not the pad token, which handles left and right padding alike. Like
/// transformers it looks at input_ids (not the attention mask): the index is argmax(arange(T) · (ids != pad)),
/// so a row of only padding gives 0.
/// </summary>
public static class LastTokenPooling
{
    /// <summary>input_ids (B, T) → index (B,) int64 of each row's last non-pad token.</summary>
    public static Tensor Indices(Tensor inputIds, long padTokenId)
    {
        using var scope = NewDisposeScope();
        var nonPad = inputIds.ne(padTokenId).to_type(ScalarType.Int64);                                  // (B, T)
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device);      // (T,)
        return (positions.unsqueeze(0) * nonPad).argmax(-1).MoveToOuterDisposeScope();                   // (B,)
    }

    /// <summary>hidden (B, T, C) gathered at <see cref="Indices"/> → (B, C).</summary>
    public static Tensor Gather(Tensor hidden, Tensor inputIds, long padTokenId)
    {
        using var scope = NewDisposeScope();
        var index = Indices(inputIds.to(hidden.device), padTokenId);                                     // (B,)
        var rows = arange(hidden.shape[0], dtype: ScalarType.Int64, device: hidden.device);              // (B,)
        return hidden.index([rows, index]).MoveToOuterDisposeScope();                                    // (B, C)
    }
}
