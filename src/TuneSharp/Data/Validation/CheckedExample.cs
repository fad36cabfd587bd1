namespace TuneSharp.Data.Validation;

/// <summary>
/// What validation keeps of a well-formed record: the text that will be tokenized, the content compared for
/// duplicates and leakage (inputs only for labelled shapes), and the target used to spot conflicting duplicates.
/// </summary>
/// <param name="TrainingText">All text the model sees for this example, joined, for token counting.</param>
/// <param name="Content">The example's input, compared (normalized) across records.</param>
/// <param name="Target">The label or tags (null for unlabelled shapes), compared between duplicates.</param>
/// <param name="Labels">Label names for the distribution (classification and tagging).</param>
internal sealed record CheckedExample(string TrainingText, string Content, string? Target, IReadOnlyList<string> Labels);
