using System.Text;

namespace TuneSharp.Evaluation;

/// <summary>
/// Entity-level scores in seqeval's <c>classification_report</c> layout, plus token accuracy.
/// </summary>
/// <param name="Types">One row per entity type found on either side, sorted by type name (ordinal).</param>
/// <param name="Micro">Entity counts pooled over types: the headline NER F1.</param>
/// <param name="Macro">Unweighted mean over types.</param>
/// <param name="Weighted">Mean over types weighted by support.</param>
/// <param name="TokenAccuracy">Fraction of tokens whose tag is exactly right (seqeval <c>accuracy_score</c>).</param>
/// <param name="Mode">How entities were read.</param>
/// <param name="Scheme">The scheme used in strict mode; null in default mode.</param>
/// <param name="Suffix">Whether tags were written type-first ("PER-B").</param>
public sealed record NerReport(
    IReadOnlyList<ScoreRow> Types,
    ScoreRow Micro,
    ScoreRow Macro,
    ScoreRow Weighted,
    double TokenAccuracy,
    NerMode Mode,
    TaggingScheme? Scheme,
    bool Suffix)
{
    /// <summary>
    /// The settings, e.g. "seqeval|mode:default|suffix:no|zero_division:0" or
    /// "seqeval|mode:strict|scheme:IOB2|suffix:no|zero_division:0".
    /// </summary>
    public string Settings => Mode == NerMode.Strict
        ? $"seqeval|mode:strict|scheme:{Scheme}|suffix:{(Suffix ? "yes" : "no")}|zero_division:0"
        : $"seqeval|mode:default|suffix:{(Suffix ? "yes" : "no")}|zero_division:0";

    /// <summary>The report as seqeval's <c>classification_report</c> prints it.</summary>
    public string ToText(int digits = 2)
    {
        int nameWidth = Types.Count == 0 ? 0 : Types.Max(t => t.Name.Length);
        int width = Math.Max(Math.Max(nameWidth, "weighted avg".Length), digits);
        var sb = new StringBuilder();
        sb.Append(new string(' ', width)).Append(' ');
        foreach (var h in new[] { "precision", "recall", "f1-score", "support" }) sb.Append(' ').Append(h.PadLeft(9));
        sb.Append("\n\n");
        foreach (var row in Types) ClassificationReport.AppendRow(sb, row, width, digits);
        sb.Append('\n');
        ClassificationReport.AppendRow(sb, Micro, width, digits);
        ClassificationReport.AppendRow(sb, Macro, width, digits);
        ClassificationReport.AppendRow(sb, Weighted, width, digits);
        return sb.ToString();
    }
}
