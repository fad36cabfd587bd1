namespace TuneSharp.Data.Validation;

/// <summary>How bad a problem is: errors make <c>data validate</c> exit 2; warnings are reported only.</summary>
public enum ProblemSeverity
{
    /// <summary>Worth a look (e.g. an exact duplicate), but training can go on.</summary>
    Warning,
    /// <summary>The data is wrong or would be changed silently; validation fails.</summary>
    Error,
}

/// <summary>
/// One problem found in a data file, located precisely enough to fix it: the file, the 1-based line
/// (or row) and the field path (e.g. <c>messages[2].role</c>; null when the whole line is at fault).
/// </summary>
/// <param name="File">The file as given by the user.</param>
/// <param name="Line">1-based line (CSV: the record's first line; Parquet: the row number).</param>
/// <param name="Field">Field path inside the record, or null for the record as a whole.</param>
/// <param name="Code">A stable machine-readable code, one of <see cref="ProblemCodes"/>.</param>
/// <param name="Message">A human-readable explanation.</param>
/// <param name="Severity">Error or warning.</param>
public sealed record DataProblem(string File, long Line, string? Field, string Code, string Message, ProblemSeverity Severity = ProblemSeverity.Error)
{
    /// <summary>"file:line: field: message [code]", the form printed by the CLI.</summary>
    public override string ToString() =>
        $"{File}:{Line}: {(Field is null ? "" : Field + ": ")}{Message} [{Code}]";
}
