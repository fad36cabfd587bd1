using TuneSharp.Models;

namespace TuneSharp.Generation;

/// <summary>Single-prompt autoregressive decoding with an optional KV cache: a batch of one of <see cref="BatchGenerator"/>.</summary>
public static class TextGenerator
{
    /// <summary>
    /// Generates up to MaxNewTokens after <paramref name="promptIds"/>. Stops at an eos or stop token unless
    /// IgnoreEos (the stop token is kept in NewIds). <paramref name="onToken"/> streams each new id.
    /// Log-probabilities come from the model's raw distribution (log-softmax of the logits, before
    /// temperature or filtering).
    /// </summary>
    public static GenerationResult Generate(ICausalLM model, IReadOnlyList<int> promptIds, GenerationOptions options,
        Action<int>? onToken = null, CancellationToken cancel = default) =>
        BatchGenerator.Generate(model, [promptIds], options,
            onToken is null ? null : (_, id, _) => { onToken(id); return false; }, cancel)[0];
}
