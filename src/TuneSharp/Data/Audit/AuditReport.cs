using System.Globalization;
using System.Text;

namespace TuneSharp.Data.Audit;

/// <summary>One suspected label error: the row, its label, the label the model is confident about, and scores.</summary>
public sealed record LabelIssue(DataRecord Record, string GivenLabel, string SuggestedLabel, double SelfConfidence, double SuggestedProbability)
{
    /// <summary>The text of the row's <paramref name="textField"/>, or "".</summary>
    public string Text(string textField) => Record.Fields[textField]?.GetValue<string>() ?? "";

    /// <summary>The flag as <c>data audit --out</c> writes it (and the dashboard shows it), ranked <paramref name="rank"/>.</summary>
    public System.Text.Json.Nodes.JsonObject ToJson(int rank, string textField) => new()
    {
        ["rank"] = rank,
        ["file"] = Record.File,
        ["line"] = Record.Line,
        ["given_label"] = GivenLabel,
        ["suggested_label"] = SuggestedLabel,
        ["self_confidence"] = SelfConfidence,
        ["suggested_probability"] = SuggestedProbability,
        ["text"] = Text(textField),
    };
}

/// <summary>The result of a label-noise audit; <see cref="Issues"/> are ranked, most suspicious first.</summary>
public sealed record AuditReport
{
    /// <summary>Rows audited.</summary>
    public required int Examples { get; init; }
    /// <summary>Class names, sorted ordinally; indexes of <see cref="Thresholds"/> and <see cref="ConfidentJoint"/>.</summary>
    public required IReadOnlyList<string> Classes { get; init; }
    /// <summary>Rows per class.</summary>
    public required IReadOnlyList<int> ClassCounts { get; init; }
    /// <summary>Per-class confidence thresholds t_j.</summary>
    public required IReadOnlyList<double> Thresholds { get; init; }
    /// <summary>The confident joint C[given][confident].</summary>
    public required long[][] ConfidentJoint { get; init; }
    /// <summary>Suspected label errors, lowest self-confidence first.</summary>
    public required IReadOnlyList<LabelIssue> Issues { get; init; }
    /// <summary>Accuracy of the out-of-fold argmax against the given labels (how well the classifier fits).</summary>
    public required double OutOfFoldAccuracy { get; init; }
    /// <summary>Folds used.</summary>
    public required int Folds { get; init; }
    /// <summary>The classifier's description.</summary>
    public required string Classifier { get; init; }
    /// <summary>Wall-clock time.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>A human-readable summary with the top <paramref name="top"/> issues.</summary>
    public string Summary(int top = 20)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"{Examples} rows, {Classes.Count} classes, {Folds}-fold out-of-fold accuracy {OutOfFoldAccuracy:F3} ({Classifier}), {Elapsed.TotalSeconds:F1}s\n");
        for (int j = 0; j < Classes.Count; j++)
            sb.Append(inv, $"  class '{Classes[j]}': {ClassCounts[j]} rows, threshold {Thresholds[j]:F3}\n");
        sb.Append(inv, $"{Issues.Count} suspected label errors ({100.0 * Issues.Count / Math.Max(1, Examples):F1}%)\n");
        foreach (var i in Issues.Take(top))
            sb.Append(inv, $"  {i.Record.File}:{i.Record.Line}: labelled '{i.GivenLabel}' (p={i.SelfConfidence:F3}), likely '{i.SuggestedLabel}' (p={i.SuggestedProbability:F3})\n");
        return sb.ToString().TrimEnd('\n');
    }
}
