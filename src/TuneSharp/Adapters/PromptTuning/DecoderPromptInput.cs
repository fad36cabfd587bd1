using TorchSharp;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Adapters.PromptTuning;

/// <summary>
/// What a decoder's blocks see once a soft prompt stands before every sequence (PEFT's CAUSAL_LM prompt tuning: the
/// n virtual vectors concatenated before the input embeddings, the attention mask extended with n ones, positions
/// counted from the first virtual token). The prompt holds positions 0..n-1 and, under a KV cache, its first n slots,
/// so callers keep counting their own tokens only:
/// <list type="bullet">
/// <item>no cache, or an empty one (training, prefill): the prompt is prepended, a 2D mask (B, T) gains n ones in front,
/// a 4D mask (B, 1, T, T) of packed sequences lets every query see the whole prompt, explicit positions shift by n, and
/// the blocks' first n outputs are dropped (<see cref="Skip"/>), so hidden states stay (B, T, C);</item>
/// <item>a filled cache (decoding): the prompt is in it already; the 2D mask over the caller's P−n+T tokens gains n
/// ones, explicit positions shift by n.</item>
/// </list>
/// </summary>
public readonly record struct DecoderPromptInput(Tensor Embeddings, Tensor? AttentionMask, Tensor PositionIds, int Skip)
{
    /// <summary>
    /// <paramref name="words"/> (B, T, C) word embeddings, <paramref name="attentionMask"/> (B, P+T) or (B, 1, T, P+T)
    /// as the model's caller gave it, <paramref name="positionIds"/> (B, T) or null for the default, <paramref name="past"/>
    /// the cache's length P (prompt included). Without a prompt everything passes through (positions defaulted).
    /// </summary>
    public static DecoderPromptInput Of(PromptEmbedding? prompt, Tensor words, Tensor? attentionMask, Tensor? positionIds, long past)
    {
        long batch = words.shape[0], length = words.shape[1];
        var device = words.device;
        if (prompt is null)
            return new(words, attentionMask, positionIds?.to(device) ?? Models.PositionIds.Default(batch, length, past, device), 0);
        int n = prompt.Count;
        if (past > 0)
        {
            if (attentionMask is not null && attentionMask.dim() == 4)
                throw new NotSupportedException("a soft prompt under a KV cache takes a 2D attention mask (the continuous batcher's 4D masks do not count the prompt)");
            return new(words, attentionMask is null ? null : prompt.PrependMask(attentionMask.to(device)),
                positionIds is null ? Models.PositionIds.Default(batch, length, past, device) : positionIds.to(device) + n, 0);
        }
        var mask = attentionMask is null ? null
            : attentionMask.dim() == 4 ? PackedMask(attentionMask.to(device), n)
            : prompt.PrependMask(attentionMask.to(device));
        var positions = positionIds is null
            ? Models.PositionIds.Default(batch, n + length, 0, device)
            : cat([Models.PositionIds.Default(batch, n, 0, device), positionIds.to(device) + n], 1);               // (B, n+T)
        return new(prompt.Prepend(words), mask, positions, n);
    }

    /// <summary>
    /// (B, 1, T, T) → (B, 1, n+T, n+T): the prompt attends causally within itself, every token attends to the whole
    /// prompt and, among tokens, what the given mask allows (its own packed sequence).
    /// </summary>
    static Tensor PackedMask(Tensor mask, int n)
    {
        long batch = mask.shape[0], length = mask.shape[2];
        var allowed = mask.ne(0);                                                                        // (B, 1, T, T)
        var promptRows = cat([ones(n, n, dtype: ScalarType.Bool, device: mask.device).tril(),
            zeros(n, length, dtype: ScalarType.Bool, device: mask.device)], 1).expand(batch, 1, n, n + length);  // (B, 1, n, n+T)
        var tokenRows = cat([ones(batch, 1, length, n, dtype: ScalarType.Bool, device: mask.device), allowed], 3); // (B, 1, T, n+T)
        return cat([promptRows, tokenRows], 2);                                                          // (B, 1, n+T, n+T)
    }
}
