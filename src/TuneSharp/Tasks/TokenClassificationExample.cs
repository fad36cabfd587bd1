namespace TuneSharp.Tasks;

/// <summary>A tokenized token-classification example.</summary>
/// <param name="Alignment">Tokens and their words.</param>
/// <param name="Labels">Per token: the tag index on a word's first sub-token, -100 elsewhere.</param>
/// <param name="WordTags">The gold tag index of every word (all words, also those cut by truncation).</param>
public sealed record TokenClassificationExample(WordAlignment Alignment, int[] Labels, int[] WordTags);
