namespace TuneSharp.Data.Readers;

/// <summary>How a raw text corpus is cut into records.</summary>
public enum TextUnit
{
    /// <summary>One record per file.</summary>
    Document,
    /// <summary>One record per blank-line separated paragraph.</summary>
    Paragraph,
    /// <summary>One record per non-empty line.</summary>
    Line,
}

/// <summary>Format-specific reading options; the defaults suit the common layouts.</summary>
public sealed record ReadOptions
{
    /// <summary>The defaults.</summary>
    public static ReadOptions Default { get; } = new();

    /// <summary>CoNLL: 0-based column holding the token.</summary>
    public int ConllTokenColumn { get; init; }

    /// <summary>CoNLL: 0-based column holding the tag; negative counts from the end (-1 = last column).</summary>
    public int ConllTagColumn { get; init; } = -1;

    /// <summary>Text corpora: document, paragraph or line records.</summary>
    public TextUnit TextUnit { get; init; } = TextUnit.Document;
}
