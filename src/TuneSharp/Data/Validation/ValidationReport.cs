using TuneSharp.Data.Shapes;

namespace TuneSharp.Data.Validation;

/// <summary>Per-file counts in a <see cref="ValidationReport"/>.</summary>
/// <param name="File">The file.</param>
/// <param name="Shape">The shape checked (given or detected); null when none could be detected.</param>
/// <param name="Records">Records read (unreadable lines excluded; they are problems).</param>
/// <param name="Valid">Records without errors.</param>
/// <param name="TrainingTokens">Estimated tokens per epoch from this file, after the truncation policy.</param>
public sealed record FileSummary(string File, RecordShape? Shape, long Records, long Valid, long TrainingTokens);

/// <summary>The outcome of <see cref="DataValidator.Validate"/>: every problem, then the summary.</summary>
public sealed class ValidationReport
{
    /// <summary>Every problem found, in file and line order.</summary>
    public required IReadOnlyList<DataProblem> Problems { get; init; }

    /// <summary>Counts per file.</summary>
    public required IReadOnlyList<FileSummary> Files { get; init; }

    /// <summary>Label (or tag/entity type) → count, over well-formed records.</summary>
    public required IReadOnlyDictionary<string, long> LabelDistribution { get; init; }

    /// <summary>Token lengths of well-formed records.</summary>
    public required LengthStats Lengths { get; init; }

    /// <summary>What counted the tokens.</summary>
    public required string TokenCounter { get; init; }

    /// <summary>The max length checked, if any.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The truncation policy the length check assumed.</summary>
    public TruncationPolicy Truncation { get; init; }

    /// <summary>Exact duplicates found (warnings or conflicting-label errors).</summary>
    public int Duplicates { get; init; }

    /// <summary>Examples leaked from an earlier split.</summary>
    public int Leaks { get; init; }

    /// <summary>Number of error problems.</summary>
    public int ErrorCount => Problems.Count(p => p.Severity == ProblemSeverity.Error);

    /// <summary>Number of warning problems.</summary>
    public int WarningCount => Problems.Count(p => p.Severity == ProblemSeverity.Warning);

    /// <summary>True when there are no errors (warnings allowed).</summary>
    public bool IsValid => ErrorCount == 0;
}
