using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// How a decoder sequence classifier reads a row. "last" (the default) is transformers' rule: the hidden
/// state of the last non-pad token. "mean" averages the hidden states of all non-pad tokens: a small causal
/// LM's last state mostly describes the last few tokens (it was trained to predict the next one), so the
/// mean is often the better summary of a whole document (docs/RESULTS.md measures it). The choice is saved
/// in config.json as <c>tunesharp_pooling</c>; transformers ignores that key and reads the last token.
/// BERT classifiers take "pooler" (the default: tanh(dense([CLS])), as transformers), "cls" (the raw [CLS] state) or
/// "mean" over the attention mask: sentence encoders such as all-MiniLM-L6-v2 were trained with mean or CLS pooling
/// and no pooler, so their pooler is untrained for the task (or absent).
/// </summary>
public static class SequencePooling
{
    public const string Last = "last";
    public const string Mean = "mean";
    public const string Cls = "cls";
    public const string Pooler = "pooler";
    public const string ConfigKey = "tunesharp_pooling";

    /// <summary>The pooling saved in a config (default "last").</summary>
    public static string FromConfig(ConfigJson config) => Check(config.String(ConfigKey) ?? Last, $"{config.Path}: key '{ConfigKey}'");

    /// <summary>The pooling saved in a BERT config (default "pooler").</summary>
    public static string FromBertConfig(ConfigJson config) => CheckBert(config.String(ConfigKey) ?? Pooler, $"{config.Path}: key '{ConfigKey}'");

    /// <summary>A decoder pooling: last or mean.</summary>
    public static string Check(string pooling, string where) =>
        pooling is Last or Mean ? pooling : throw new UserError($"{where}: '{pooling}' is not last or mean (decoder classifiers)");

    /// <summary>A BERT pooling: pooler, cls or mean.</summary>
    public static string CheckBert(string pooling, string where) =>
        pooling is Pooler or Cls or Mean ? pooling : throw new UserError($"{where}: '{pooling}' is not pooler, cls or mean (BERT classifiers)");

    /// <summary>Any pooling some classifier takes (recipes are checked before the model type is known).</summary>
    public static string CheckAny(string pooling, string where) =>
        pooling is Last or Mean or Cls or Pooler ? pooling : throw new UserError($"{where}: '{pooling}' is not last, mean, cls or pooler");

    /// <summary>
    /// hidden (B, T, C), attention mask (B, T) → (B, C): the first position ("cls"), or the mean of the masked
    /// positions ("mean"; sentence-transformers' rule, the count clamped at 1e-9).
    /// </summary>
    public static Tensor PoolMasked(Tensor hidden, Tensor attentionMask, string pooling)
    {
        using var scope = NewDisposeScope();
        var m = attentionMask.to(hidden.device).to_type(hidden.dtype).unsqueeze(-1);      // (B, T, 1)
        var pooled = pooling switch
        {
            Cls => hidden.select(1, 0),
            Mean => (hidden * m).sum(1) / m.sum(1).clamp_min(1e-9),
            "max" => hidden.masked_fill(m.eq(0), -1e9).amax(1),
            _ => throw new UserError($"pooling '{pooling}' is not cls, mean or max"),
        };
        return pooled.MoveToOuterDisposeScope();
    }

    /// <summary>hidden (B, T, C), input_ids (B, T) → (B, C).</summary>
    public static Tensor Pool(Tensor hidden, Tensor inputIds, long padTokenId, string pooling)
    {
        if (pooling == Last) return LastTokenPooling.Gather(hidden, inputIds, padTokenId);
        using var scope = NewDisposeScope();
        var mask = inputIds.to(hidden.device).ne(padTokenId).to_type(hidden.dtype).unsqueeze(-1);   // (B, T, 1)
        return ((hidden * mask).sum(1) / mask.sum(1).clamp_min(1)).MoveToOuterDisposeScope();        // (B, C)
    }
}
