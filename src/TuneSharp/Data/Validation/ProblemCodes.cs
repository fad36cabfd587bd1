namespace TuneSharp.Data.Validation;

/// <summary>The stable codes of <see cref="DataProblem.Code"/>, shared by the text and JSON reports.</summary>
public static class ProblemCodes
{
    /// <summary>A JSONL line is not valid JSON.</summary>
    public const string InvalidJson = "invalid-json";
    /// <summary>A JSONL line is valid JSON but not an object.</summary>
    public const string NotAnObject = "not-an-object";
    /// <summary>A CSV/TSV row is malformed (bad quoting, wrong number of cells).</summary>
    public const string InvalidCsv = "invalid-csv";
    /// <summary>A CoNLL line lacks the configured column.</summary>
    public const string InvalidConll = "invalid-conll";
    /// <summary>No known record shape matches the record's fields.</summary>
    public const string UnknownShape = "unknown-shape";
    /// <summary>A required field is absent.</summary>
    public const string MissingField = "missing-field";
    /// <summary>A required field is present but empty.</summary>
    public const string EmptyField = "empty-field";
    /// <summary>A field has the wrong JSON type.</summary>
    public const string WrongType = "wrong-type";
    /// <summary>A chat message role outside system/user/assistant/tool.</summary>
    public const string UnknownRole = "unknown-role";
    /// <summary>A chat with no assistant message: nothing to learn from.</summary>
    public const string NoAssistantTurn = "no-assistant-turn";
    /// <summary>A label outside the given label set.</summary>
    public const string UnknownLabel = "unknown-label";
    /// <summary>tokens and tags have different lengths.</summary>
    public const string LengthMismatch = "length-mismatch";
    /// <summary>A BIO tag sequence is invalid (I- without B-/I- of the same type, unknown prefix).</summary>
    public const string InvalidBio = "invalid-bio";
    /// <summary>An example is longer than --max-length tokens.</summary>
    public const string TooLong = "too-long";
    /// <summary>An exact (normalized) duplicate of an earlier example in the same data.</summary>
    public const string Duplicate = "duplicate";
    /// <summary>A duplicate whose label differs from the earlier copy.</summary>
    public const string ConflictingLabel = "conflicting-label";
    /// <summary>An example of a later split (validation/test) that also occurs in an earlier one.</summary>
    public const string Leakage = "leakage";
}
