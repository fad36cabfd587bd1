using TuneSharp.Data.Readers;
using TuneSharp.Data.Shapes;

namespace TuneSharp.Data.Validation;

/// <summary>
/// Validates data files in one streaming pass each: format, shape, fields, labels, BIO tags, lengths,
/// duplicates and split leakage. Memory grows with the number of distinct examples (a 16-byte hash and a
/// token length each), not with their size.
/// </summary>
public static class DataValidator
{
    /// <summary>
    /// Validates <paramref name="files"/>. Files that also appear in <paramref name="splitFiles"/> (in
    /// train, validation, test order) are checked for leakage: an example of a later split that occurs in an
    /// earlier one is an error.
    /// </summary>
    public static ValidationReport Validate(IReadOnlyList<string> files, ValidationOptions options, IReadOnlyList<string>? splitFiles = null)
    {
        var problems = new List<DataProblem>();
        var summaries = new List<FileSummary>();
        var labels = new Dictionary<string, long>(StringComparer.Ordinal);
        var lengths = new LengthStats();
        var duplicates = new DuplicateIndex();
        var checker = new RecordValidator(options);
        var splitPaths = (splitFiles ?? []).Select(Path.GetFullPath).ToList();

        foreach (var file in files)
        {
            int splitIndex = splitPaths.IndexOf(Path.GetFullPath(file));
            var fileProblems = new List<DataProblem>();
            RecordShape? shape = options.Task?.Shape;
            long records = 0, valid = 0, tokensBefore = lengths.TrainingTokens;
            foreach (var record in DataSources.Open(file, options.Format, options.Read, fileProblems.Add))
            {
                records++;
                shape ??= ShapeDetector.Detect(record.Fields, options.Fields);
                if (shape is null)
                {
                    fileProblems.Add(new DataProblem(record.File, record.Line, null, ProblemCodes.UnknownShape,
                        $"no known record shape fits fields [{string.Join(", ", record.Fields.Select(f => f.Key))}]; pass --task or --field"));
                    continue;
                }
                int before = fileProblems.Count;
                var example = checker.Check(record, shape.Value, fileProblems);
                if (example is null) continue;
                Measure(record, example, options, lengths, fileProblems);
                duplicates.Add(record, example, splitIndex, fileProblems, ContentField(shape.Value, options.Fields), conflictIsError: shape != RecordShape.Tagging);
                if (!fileProblems.Skip(before).Any(p => p.Severity == ProblemSeverity.Error)) valid++;
                foreach (var label in example.Labels) labels[label] = labels.GetValueOrDefault(label) + 1;
            }
            // Readers report unreadable lines as they meet them, so the file's problems are already in line order
            // except when a reader problem and a record problem share a region; sort to be sure.
            problems.AddRange(fileProblems.OrderBy(p => p.Line));
            summaries.Add(new FileSummary(file, shape, records, valid, lengths.TrainingTokens - tokensBefore));
        }

        return new ValidationReport
        {
            Problems = problems,
            Files = summaries,
            LabelDistribution = labels,
            Lengths = lengths,
            TokenCounter = options.TokenCounter.Name,
            MaxLength = options.MaxLength,
            Truncation = options.Truncation,
            Duplicates = duplicates.Duplicates,
            Leaks = duplicates.Leaks,
        };
    }

    static void Measure(DataRecord record, CheckedExample example, ValidationOptions options, LengthStats lengths, List<DataProblem> problems)
    {
        int length = options.TokenCounter.Count(example.TrainingText);
        int trained = length;
        if (options.MaxLength is int max && length > max)
        {
            var field = "(example)";
            switch (options.Truncation)
            {
                case TruncationPolicy.Error:
                    problems.Add(new DataProblem(record.File, record.Line, field, ProblemCodes.TooLong,
                        $"{length} tokens > max length {max} (truncation policy: error; use --truncation truncate|drop to accept)"));
                    break;
                case TruncationPolicy.Truncate:
                    trained = max;
                    problems.Add(new DataProblem(record.File, record.Line, field, ProblemCodes.TooLong,
                        $"{length} tokens > max length {max}: will be truncated to {max} (truncation policy: truncate)", ProblemSeverity.Warning));
                    break;
                case TruncationPolicy.Drop:
                    trained = 0;
                    problems.Add(new DataProblem(record.File, record.Line, field, ProblemCodes.TooLong,
                        $"{length} tokens > max length {max}: will be dropped from training (truncation policy: drop)", ProblemSeverity.Warning));
                    break;
            }
        }
        lengths.Add(length, trained);
    }

    static string ContentField(RecordShape shape, FieldNames f) => shape switch
    {
        RecordShape.Classification or RecordShape.Text => f.Text,
        RecordShape.Tagging => f.Tokens,
        RecordShape.PromptCompletion => f.Prompt,
        RecordShape.Instruction => f.Instruction,
        RecordShape.Chat => f.Messages,
        _ => "(example)",
    };
}
