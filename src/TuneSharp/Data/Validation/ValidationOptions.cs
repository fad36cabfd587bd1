using TuneSharp.Data.Readers;
using TuneSharp.Data.Shapes;
using TuneSharp.Data.Tokens;

namespace TuneSharp.Data.Validation;

/// <summary>What <see cref="DataValidator"/> checks and how.</summary>
public sealed record ValidationOptions
{
    /// <summary>The expected task; null: detect each file's shape from its first recognisable record.</summary>
    public TaskSpec? Task { get; init; }

    /// <summary>Field names for each role.</summary>
    public FieldNames Fields { get; init; } = FieldNames.Default;

    /// <summary>The allowed label names (classification); integer labels must index into this list. Null: any label.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Maximum example length in tokens; null: no length check.</summary>
    public int? MaxLength { get; init; }

    /// <summary>What training will do with examples over <see cref="MaxLength"/>.</summary>
    public TruncationPolicy Truncation { get; init; } = TruncationPolicy.Error;

    /// <summary>Counts tokens for length checks, the histogram and the training-token estimate.</summary>
    public ITokenCounter TokenCounter { get; init; } = WhitespaceTokenCounter.Instance;

    /// <summary>Input format; null: detect per file.</summary>
    public DataFormat? Format { get; init; }

    /// <summary>Format-specific reading options.</summary>
    public ReadOptions Read { get; init; } = ReadOptions.Default;
}
