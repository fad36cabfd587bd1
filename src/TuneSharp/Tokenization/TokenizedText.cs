namespace TuneSharp.Tokenization;

/// <summary>One encoded text (or text pair).</summary>
/// <param name="Ids">The token ids, special tokens included.</param>
/// <param name="Offsets">For each token, its [Start, End) range of UTF-16 characters in the text it came
/// from (the pair's tokens point into the pair text); added special tokens such as [CLS] get (0, 0).</param>
/// <param name="TypeIds">For each token, 0 for the first sequence and 1 for the pair (as the template says).</param>
public sealed record TokenizedText(int[] Ids, (int Start, int End)[] Offsets, int[] TypeIds);
