namespace TuneSharp.Tokenization.Training;

/// <summary>Settings of <see cref="BpeTrainer"/>, named after Hugging Face's <c>BpeTrainer</c> arguments.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>
    /// The special tokens TuneSharp's base models are built around (end of text, ChatML turn markers, padding),
    /// in the order, and so at the ids 0–3, of the hf-tiny fixture.
    /// </summary>
    public static IReadOnlyList<string> ChatSpecialTokens { get; } = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|pad|>"];

    /// <summary>
    /// The size of the final vocabulary, special tokens and alphabet included. Training stops when it is
    /// reached, or earlier when no pair is frequent enough.
    /// </summary>
    public required int VocabSize { get; init; }

    /// <summary>A pair seen fewer times than this is never merged (HF's <c>min_frequency</c>; 0 merges anything seen).</summary>
    public long MinFrequency { get; init; }

    /// <summary>Tokens that take the first ids, in this order, and are never split (duplicates keep their first id).</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = ChatSpecialTokens;

    /// <summary>
    /// True (the default): all 256 byte symbols are in the vocabulary, so any text can be encoded. False: only
    /// the bytes seen in the training text are (HF's BpeTrainer without <c>initial_alphabet</c>).
    /// </summary>
    public bool FullByteAlphabet { get; init; } = true;

    /// <summary>The smallest <see cref="VocabSize"/> that leaves room for the special tokens and the 256 bytes.</summary>
    public int MinimumVocabSize => SpecialTokens.Distinct(StringComparer.Ordinal).Count() + 256;
}
