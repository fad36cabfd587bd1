using System.Text.RegularExpressions;

namespace TuneSharp.Evaluation;

/// <summary>Precision, recall and F-measure of one ROUGE comparison (all 0–1).</summary>
/// <param name="Precision">LCS length over prediction length.</param>
/// <param name="Recall">LCS length over reference length.</param>
/// <param name="FMeasure">Harmonic mean of the two (rouge-score's <c>fmeasure</c>).</param>
public sealed record RougeScore(double Precision, double Recall, double FMeasure);

/// <summary>ROUGE-L over a corpus: the mean of the sentence-level scores, and the scores themselves.</summary>
/// <param name="Mean">Mean precision, recall and F-measure over all pairs.</param>
/// <param name="PerSample">One score per prediction (against its best reference).</param>
public sealed record RougeLResult(RougeScore Mean, IReadOnlyList<RougeScore> PerSample)
{
    /// <summary>The settings these numbers were computed with.</summary>
    public string Settings => RougeL.Settings;
}

/// <summary>
/// ROUGE-L as Google's rouge-score package computes <c>rougeL</c> (not <c>rougeLsum</c>) with its default
/// tokenizer: lowercase, every run of characters outside [a-z0-9] becomes a space (so non-ASCII letters
/// are dropped), tokens are the remaining [a-z0-9]+ words. The Porter stemmer option
/// (<c>use_stemmer=True</c>) is not implemented: scores equal rouge-score's with use_stemmer=False.
/// </summary>
public static class RougeL
{
    const string Metric = "rougeL";
    static readonly Regex NonAlphanumeric = new("[^a-z0-9]+", RegexOptions.CultureInvariant);

    /// <summary>The settings description reported with every result.</summary>
    public const string Settings = "rougeL|tokenizer:rouge-score-default(lowercase,[a-z0-9]+)|stemmer:no|aggregate:mean|multi-ref:max-f";

    /// <summary>rouge-score's default tokenization of one text.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        EvalGuard.NotNull(Metric, text, "text");
        string lowered = NonAlphanumeric.Replace(text.ToLowerInvariant(), " ");
        // After the replacement only [a-z0-9] and spaces remain, so splitting on spaces leaves valid tokens.
        return lowered.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>ROUGE-L of one prediction against one reference (rouge-score's <c>score(target, prediction)</c>).</summary>
    public static RougeScore Sentence(string prediction, string reference)
    {
        var target = Tokenize(EvalGuard.NotNull(Metric, reference, "reference"));
        var pred = Tokenize(EvalGuard.NotNull(Metric, prediction, "prediction"));
        if (target.Count == 0 || pred.Count == 0) return new RougeScore(0, 0, 0);
        int lcs = LcsLength(target, pred);
        double precision = (double)lcs / pred.Count;
        double recall = (double)lcs / target.Count;
        return new RougeScore(precision, recall, PrfMath.F1(precision, recall));
    }

    /// <summary>
    /// ROUGE-L against several references: the reference with the highest F-measure wins, the first
    /// on ties (rouge-score's <c>score_multi</c>).
    /// </summary>
    public static RougeScore Sentence(string prediction, IReadOnlyList<string> references)
    {
        EvalGuard.NotNull(Metric, references, "references");
        EvalGuard.NotEmpty(Metric, references.Count, "references");
        RougeScore? best = null;
        foreach (var r in references)
        {
            var s = Sentence(prediction, r);
            if (best is null || s.FMeasure > best.FMeasure) best = s;
        }
        return best!;
    }

    /// <summary>Mean sentence-level ROUGE-L over prediction/reference pairs.</summary>
    public static RougeLResult Corpus(IReadOnlyList<string> predictions, IReadOnlyList<string> references)
    {
        EvalGuard.NotNull(Metric, references, "references");
        return Corpus(predictions, references.Select(r => (IReadOnlyList<string>)[r]).ToList());
    }

    /// <summary>Mean sentence-level ROUGE-L; <c>references[i]</c> holds the references of prediction i.</summary>
    public static RougeLResult Corpus(IReadOnlyList<string> predictions, IReadOnlyList<IReadOnlyList<string>> references)
    {
        EvalGuard.NotNull(Metric, predictions, "predictions");
        EvalGuard.NotNull(Metric, references, "references");
        EvalGuard.SameLength(Metric, predictions.Count, references.Count);
        EvalGuard.NotEmpty(Metric, predictions.Count, "predictions");
        var scores = new List<RougeScore>(predictions.Count);
        for (int i = 0; i < predictions.Count; i++)
            scores.Add(Sentence(predictions[i], EvalGuard.NotNull(Metric, references[i], $"references of prediction {i}")));
        var mean = new RougeScore(scores.Average(s => s.Precision), scores.Average(s => s.Recall), scores.Average(s => s.FMeasure));
        return new RougeLResult(mean, scores);
    }

    internal static int LcsLength(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        // One row of the DP table at a time: the length is all ROUGE-L needs.
        var prev = new int[b.Count + 1];
        var cur = new int[b.Count + 1];
        for (int i = 1; i <= a.Count; i++)
        {
            for (int j = 1; j <= b.Count; j++)
                cur[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? prev[j - 1] + 1
                    : Math.Max(prev[j], cur[j - 1]);
            (prev, cur) = (cur, prev);
        }
        return prev[b.Count];
    }
}
