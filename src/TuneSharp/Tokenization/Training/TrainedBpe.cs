namespace TuneSharp.Tokenization.Training;

/// <summary>What <see cref="BpeTrainer.Train"/> learned: a byte-level BPE model ready to be written as tokenizer.json.</summary>
/// <param name="Vocab">Every token in id order: the special tokens, the byte symbols (by code point), then one per merge.</param>
/// <param name="Merges">The merges in rank order, as the two tokens they join (in byte-level characters, e.g. "Ġ" and "t").</param>
/// <param name="SpecialTokens">The special tokens, which hold the ids 0 to Count-1.</param>
public sealed record TrainedBpe(IReadOnlyList<string> Vocab, IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlyList<string> SpecialTokens);
