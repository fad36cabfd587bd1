namespace TuneSharp.Data.Splits;

/// <summary>The records of each split, in their input order.</summary>
public sealed record SplitResult(IReadOnlyList<DataRecord> Train, IReadOnlyList<DataRecord> Validation, IReadOnlyList<DataRecord> Test);

/// <summary>One fold of k-fold cross-validation: the held-out records and the rest.</summary>
public sealed record Fold(int Index, IReadOnlyList<DataRecord> Train, IReadOnlyList<DataRecord> Validation);
