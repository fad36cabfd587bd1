namespace TuneSharp.Tokenization;

/// <summary>How <see cref="HfTokenizer.EncodeBatch(IReadOnlyList{string}, EncodeOptions?)"/> pads.</summary>
public enum Padding
{
    /// <summary>No padding: rows keep their own lengths.</summary>
    None,
    /// <summary>Pad every row to the longest row of the batch.</summary>
    Longest,
    /// <summary>Pad every row to <see cref="EncodeOptions.MaxLength"/>.</summary>
    MaxLength,
}

/// <summary>Which end of a row padding or truncation works on.</summary>
public enum Side
{
    /// <summary>The end of the row.</summary>
    Right,
    /// <summary>The start of the row.</summary>
    Left,
}

/// <summary>Options of batch encoding (Hugging Face's padding / truncation arguments).</summary>
public sealed record EncodeOptions
{
    /// <summary>Add the post-processor's special tokens (BOS, [CLS]/[SEP]). Default true.</summary>
    public bool AddSpecialTokens { get; init; } = true;

    /// <summary>Padding strategy. Default <see cref="Tokenization.Padding.Longest"/>, so the batch is rectangular.</summary>
    public Padding Padding { get; init; } = Padding.Longest;

    /// <summary>Where padding goes; null takes tokenizer_config.json's padding_side (default right).</summary>
    public Side? PaddingSide { get; init; }

    /// <summary>Round padded lengths up to a multiple of this (e.g. 8 for tensor cores).</summary>
    public int? PadToMultipleOf { get; init; }

    /// <summary>Cut rows longer than <see cref="MaxLength"/> (special tokens included).</summary>
    public bool Truncation { get; init; }

    /// <summary>Which end truncation removes; null takes tokenizer_config.json's truncation_side (default right).</summary>
    public Side? TruncationSide { get; init; }

    /// <summary>The length for truncation and <see cref="Tokenization.Padding.MaxLength"/>; null means the model_max_length.</summary>
    public int? MaxLength { get; init; }
}
