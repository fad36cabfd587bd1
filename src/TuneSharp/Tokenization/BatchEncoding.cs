namespace TuneSharp.Tokenization;

/// <summary>A padded batch, row per input text, ready for tensors.</summary>
/// <param name="InputIds">Token ids; padding positions hold the pad token id.</param>
/// <param name="AttentionMask">1 for real tokens, 0 for padding.</param>
/// <param name="TokenTypeIds">0 for the first sequence, 1 for the pair, 0 for padding.</param>
/// <param name="Offsets">Character ranges in each row's text; (0, 0) for special tokens and padding.</param>
public sealed record BatchEncoding(int[][] InputIds, int[][] AttentionMask, int[][] TokenTypeIds, (int Start, int End)[][] Offsets);
