namespace TuneSharp.Data.Validation;

/// <summary>
/// Remembers where each normalized example was first seen and reports later copies: within the data as
/// duplicates (warnings, or errors when the labels disagree), and from an earlier split into a later one
/// (train → validation → test) as leakage (errors). Holds one hash per distinct example, not the examples.
/// </summary>
internal sealed class DuplicateIndex
{
    sealed record Seen(string File, long Line, int SplitIndex, string? Target);

    readonly Dictionary<UInt128, Seen> first = new();

    /// <summary>Number of exact duplicates found (within and across files, leakage excluded).</summary>
    public int Duplicates { get; private set; }

    /// <summary>Number of examples leaked from an earlier split.</summary>
    public int Leaks { get; private set; }

    /// <param name="record">The record.</param>
    /// <param name="example">Its checked content.</param>
    /// <param name="splitIndex">Its file's position among --split-files (0 train, 1 validation, 2 test), or -1.</param>
    /// <param name="problems">Where to report.</param>
    /// <param name="field">The field named in the report (the content field).</param>
    /// <param name="conflictIsError">Whether differing targets are an error (classification) or a warning (tagging,
    /// where a short sentence such as a headline may legitimately be tagged two ways).</param>
    public void Add(DataRecord record, CheckedExample example, int splitIndex, List<DataProblem> problems, string field, bool conflictIsError = true)
    {
        var hash = ContentHash.Of(example.Content);
        if (!first.TryGetValue(hash, out var seen))
        {
            first[hash] = new Seen(record.File, record.Line, splitIndex, example.Target);
            return;
        }
        if (splitIndex >= 0 && seen.SplitIndex >= 0 && seen.SplitIndex != splitIndex)
        {
            Leaks++;
            problems.Add(new DataProblem(record.File, record.Line, field, ProblemCodes.Leakage,
                $"also in {seen.File}:{seen.Line} (an earlier split): the model would be evaluated on training data"));
            return;
        }
        Duplicates++;
        if (seen.Target != example.Target)
            problems.Add(new DataProblem(record.File, record.Line, field, ProblemCodes.ConflictingLabel,
                $"same content as {seen.File}:{seen.Line} but a different label ('{example.Target}' vs '{seen.Target}')",
                conflictIsError ? ProblemSeverity.Error : ProblemSeverity.Warning));
        else
            problems.Add(new DataProblem(record.File, record.Line, field, ProblemCodes.Duplicate,
                $"exact duplicate of {seen.File}:{seen.Line} (after normalizing case, spacing and Unicode)", ProblemSeverity.Warning));
    }
}
