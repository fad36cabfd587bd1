using System.Globalization;
using System.Text;
using TuneSharp.Evaluation;

namespace TuneSharp.Tasks;

/// <summary>Scores generated texts against references: exact match, sacreBLEU-compatible BLEU and chrF, ROUGE-L.</summary>
public static class GenerationMetrics
{
    /// <summary>Adds exact_match, bleu, chrf, rougeL to <paramref name="metrics"/>; returns the settings (metric signatures).</summary>
    public static string Score(IReadOnlyList<string> hypotheses, IReadOnlyList<string> references, Dictionary<string, double> metrics, StringBuilder report)
    {
        var em = new ExactMatchOptions(Trim: true);
        var bleu = Bleu.Corpus(hypotheses, references);
        var chrf = Chrf.Corpus(hypotheses, references);
        var rouge = RougeL.Corpus(hypotheses, references);
        metrics["exact_match"] = ExactMatch.Score(hypotheses, references, em);
        metrics["bleu"] = bleu.Score;
        metrics["chrf"] = chrf.Score;
        metrics["rougeL"] = rouge.Mean.FMeasure;
        metrics["generated"] = hypotheses.Count;
        report.Append("| # | reference | generated |\n|---|---|---|\n");
        for (int i = 0; i < Math.Min(5, hypotheses.Count); i++)
            report.Append(CultureInfo.InvariantCulture, $"| {i} | {Cell(references[i])} | {Cell(hypotheses[i])} |\n");
        report.Append('\n').Append(bleu).Append('\n').Append(chrf).Append('\n');
        return $"{bleu.Signature} ; {chrf.Signature} ; {RougeL.Settings} ; exact_match|{em.Settings}";
    }

    static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
