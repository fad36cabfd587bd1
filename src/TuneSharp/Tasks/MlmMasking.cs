using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Tasks;

/// <summary>What a masked-LM batch becomes: the corrupted inputs and the labels (original ids at selected positions, -100 elsewhere).</summary>
public sealed record MaskedTokens(Tensor InputIds, Tensor Labels) : IDisposable
{
    public void Dispose() { InputIds.Dispose(); Labels.Dispose(); }
}

/// <summary>
/// BERT's masking (Devlin et al. 2019; transformers' DataCollatorForLanguageModeling): each maskable token is
/// selected with probability p; a selected token becomes [MASK] 80 % of the time, a random token 10 %, and stays
/// itself 10 %. The loss is taken at selected positions only. Special tokens and padding are never selected.
/// Draws come from the given generator when there is one (a fixed masking for evaluation), else from torch's
/// global generator, which the trainer seeds and checkpoints, so training masks are the same under a seed and on resume.
/// </summary>
public static class MlmMasking
{
    /// <summary>
    /// Masks <paramref name="inputIds"/> (B, T) int64 where <paramref name="maskable"/> (B, T) bool is true.
    /// Random replacements are drawn from [0, <paramref name="vocabSize"/>).
    /// </summary>
    public static MaskedTokens Apply(Tensor inputIds, Tensor maskable, long maskTokenId, long vocabSize, double probability, Generator? generator = null)
    {
        if (probability is <= 0 or >= 1) throw new UserError($"mlm_probability: must be between 0 and 1 (exclusive), got {probability}");
        using var scope = NewDisposeScope();
        // Drawn on the CPU (a CPU generator cannot fill a CUDA tensor), in a fixed order: selection, kind, random ids.
        var ids = inputIds.cpu();
        var selected = rand(ids.shape, generator: generator).lt(probability).logical_and(maskable.cpu());   // (B, T)
        var kind = rand(ids.shape, generator: generator);                                                  // (B, T) in [0, 1)
        var randomIds = randint(vocabSize, ids.shape, dtype: ScalarType.Int64, generator: generator);       // (B, T)
        var toMask = selected.logical_and(kind.lt(0.8));
        var toRandom = selected.logical_and(kind.ge(0.8)).logical_and(kind.lt(0.9));
        var corrupted = where(toMask, full_like(ids, maskTokenId), where(toRandom, randomIds, ids));
        var labels = where(selected, ids, full_like(ids, -100L));
        return new MaskedTokens(corrupted.to(inputIds.device).MoveToOuterDisposeScope(), labels.to(inputIds.device).MoveToOuterDisposeScope());
    }
}
