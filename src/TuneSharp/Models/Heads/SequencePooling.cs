using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// How a decoder sequence classifier reads a row. "last" (the default) is transformers' rule: the hidden
/// state of the last non-pad token. "mean" averages the hidden states of all non-pad tokens: a small causal
/// LM's last state mostly describes the last few tokens (it was trained to predict the next one), so the
/// mean is often the better summary of a whole document (docs/RESULTS.md measures it). The choice is saved
/// in config.json as <c>tunesharp_pooling</c>; transformers ignores that key and reads the last token.
/// </summary>
public static class SequencePooling
{
    public const string Last = "last";
    public const string Mean = "mean";
    public const string ConfigKey = "tunesharp_pooling";

    /// <summary>The pooling saved in a config (default "last").</summary>
    public static string FromConfig(ConfigJson config) => Check(config.String(ConfigKey) ?? Last, $"{config.Path}: key '{ConfigKey}'");

    public static string Check(string pooling, string where) =>
        pooling is Last or Mean ? pooling : throw new UserError($"{where}: '{pooling}' is not last or mean");

    /// <summary>hidden (B, T, C), input_ids (B, T) → (B, C).</summary>
    public static Tensor Pool(Tensor hidden, Tensor inputIds, long padTokenId, string pooling)
    {
        if (pooling == Last) return LastTokenPooling.Gather(hidden, inputIds, padTokenId);
        using var scope = NewDisposeScope();
        var mask = inputIds.to(hidden.device).ne(padTokenId).to_type(hidden.dtype).unsqueeze(-1);   // (B, T, 1)
        return ((hidden * mask).sum(1) / mask.sum(1).clamp_min(1)).MoveToOuterDisposeScope();        // (B, C)
    }
}
