namespace TuneSharp.Tasks;

/// <summary>A tokenized sequence-classification example: ids, and the class index or (multi-label) the label set.</summary>
/// <param name="Ids">Token ids, special tokens included, at most max_length.</param>
/// <param name="TypeIds">Token type ids (0 for the text, 1 for the pair).</param>
/// <param name="Label">The class index (single-label); -1 for multi-label.</param>
/// <param name="Labels">One flag per class (multi-label); null for single-label.</param>
public sealed record ClassificationExample(int[] Ids, int[] TypeIds, int Label, bool[]? Labels);
