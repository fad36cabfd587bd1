using System.Text;
using TuneSharp.Text;

namespace TuneSharp.Evaluation;

/// <summary>
/// scikit-learn's <c>classification_report</c>: per-label rows, accuracy and the three averages.
/// Settings: zero_division=0; labels are the sorted union of both sides unless given.
/// </summary>
/// <param name="Classes">One row per label, in label order; names are the target names when given.</param>
/// <param name="Accuracy">Fraction of samples predicted exactly (over all samples, whatever the labels).</param>
/// <param name="Micro">Micro average over the scored labels.</param>
/// <param name="Macro">Unweighted mean of the rows.</param>
/// <param name="Weighted">Support-weighted mean of the rows.</param>
/// <param name="MicroIsAccuracy">True when the scored labels cover every label seen, so micro F1 equals accuracy
/// and the text report shows an "accuracy" line as scikit-learn does.</param>
public sealed record ClassificationReport(
    IReadOnlyList<ScoreRow> Classes,
    double Accuracy,
    ScoreRow Micro,
    ScoreRow Macro,
    ScoreRow Weighted,
    bool MicroIsAccuracy)
{
    /// <summary>The settings this report was computed with, for logs and result files.</summary>
    public string Settings => "classification|zero_division:0|labels:" + (MicroIsAccuracy ? "all" : "subset");

    /// <summary>The report as scikit-learn prints it (same column widths and rounding).</summary>
    public string ToText(int digits = 2)
    {
        const string lastHeading = "weighted avg";
        int width = Math.Max(Math.Max(Classes.Count == 0 ? 0 : Classes.Max(c => c.Name.Length), lastHeading.Length), digits);
        var sb = new StringBuilder();
        sb.Append(new string(' ', width)).Append(' ');
        foreach (var h in new[] { "precision", "recall", "f1-score", "support" }) sb.Append(' ').Append(h.PadLeft(9));
        sb.Append("\n\n");
        foreach (var row in Classes) AppendRow(sb, row, width, digits);
        sb.Append('\n');
        if (MicroIsAccuracy)
        {
            sb.Append("accuracy".PadLeft(width)).Append(' ')
              .Append(' ').Append(new string(' ', 9)).Append(' ').Append(new string(' ', 9))
              .Append(' ').Append(PyText.Fixed(Micro.F1, digits).PadLeft(9))
              .Append(' ').Append(Micro.Support.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        }
        else AppendRow(sb, Micro, width, digits);
        AppendRow(sb, Macro, width, digits);
        AppendRow(sb, Weighted, width, digits);
        return sb.ToString();
    }

    internal static void AppendRow(StringBuilder sb, ScoreRow row, int width, int digits)
    {
        sb.Append(row.Name.PadLeft(width)).Append(' ');
        sb.Append(' ').Append(PyText.Fixed(row.Precision, digits).PadLeft(9));
        sb.Append(' ').Append(PyText.Fixed(row.Recall, digits).PadLeft(9));
        sb.Append(' ').Append(PyText.Fixed(row.F1, digits).PadLeft(9));
        sb.Append(' ').Append(row.Support.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
    }
}
