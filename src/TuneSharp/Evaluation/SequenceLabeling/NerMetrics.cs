namespace TuneSharp.Evaluation;

/// <summary>
/// Entity-level NER evaluation with seqeval's conventions. Inputs are sentences of tags
/// (<c>yTrue[sentence][token]</c>), e.g. "B-PER", "I-PER", "O".
/// </summary>
public static class NerMetrics
{
    const string Metric = "ner";

    /// <summary>
    /// Reads the entities of every sentence. Default mode ignores <paramref name="scheme"/>; strict mode
    /// needs it (seqeval's <c>mode='strict', scheme=IOB2</c> is <c>NerMode.Strict, TaggingScheme.IOB2</c>).
    /// </summary>
    public static IReadOnlyList<Entity> Entities(IReadOnlyList<IReadOnlyList<string>> sentences,
        NerMode mode = NerMode.Default, TaggingScheme scheme = TaggingScheme.IOB2, bool suffix = false)
    {
        EvalGuard.NotNull(Metric, sentences, "sentences");
        var all = new List<Entity>();
        for (int s = 0; s < sentences.Count; s++)
        {
            var tags = EvalGuard.NotNull(Metric, sentences[s], $"sentence {s}");
            for (int t = 0; t < tags.Count; t++) TagParts.CheckNotEmpty(Metric, tags[t], s, t);
            all.AddRange(mode == NerMode.Strict
                ? StrictEntityReader.Read(Metric, tags, s, scheme, suffix)
                : LenientEntityReader.Read(tags, s, suffix));
        }
        return all;
    }

    /// <summary>
    /// Precision, recall and F1 per entity type and averaged, as seqeval's <c>classification_report</c>
    /// with <c>zero_division=0</c>; <see cref="NerReport.Micro"/> is seqeval's default <c>f1_score</c>.
    /// </summary>
    public static NerReport Evaluate(IReadOnlyList<IReadOnlyList<string>> yTrue, IReadOnlyList<IReadOnlyList<string>> yPred,
        NerMode mode = NerMode.Default, TaggingScheme scheme = TaggingScheme.IOB2, bool suffix = false)
    {
        EvalGuard.NotNull(Metric, yTrue, "y_true");
        EvalGuard.NotNull(Metric, yPred, "y_pred");
        EvalGuard.SameLength(Metric, yPred.Count, yTrue.Count, "y_pred (sentences)", "y_true (sentences)");
        EvalGuard.NotEmpty(Metric, yTrue.Count, "y_true");
        long tokens = 0, correct = 0;
        for (int s = 0; s < yTrue.Count; s++)
        {
            var t = EvalGuard.NotNull(Metric, yTrue[s], $"y_true sentence {s}");
            var p = EvalGuard.NotNull(Metric, yPred[s], $"y_pred sentence {s}");
            if (t.Count != p.Count)
                throw new UserError($"{Metric}: sentence {s} has {t.Count} true tag(s) but {p.Count} predicted; tags must align token by token.");
            for (int k = 0; k < t.Count; k++) if (t[k] == p[k]) correct++;
            tokens += t.Count;
        }
        EvalGuard.NotEmpty(Metric, (int)Math.Min(tokens, int.MaxValue), "the tag sequences (every sentence is empty)");

        var trueSet = Entities(yTrue, mode, scheme, suffix).ToHashSet();
        var predSet = Entities(yPred, mode, scheme, suffix).ToHashSet();
        var types = trueSet.Select(e => e.Type).Concat(predSet.Select(e => e.Type)).Distinct().ToList();
        types.Sort(StringComparer.Ordinal);

        var tp = new long[types.Count];
        var predicted = new long[types.Count];
        var actual = new long[types.Count];
        var rows = new List<ScoreRow>(types.Count);
        for (int k = 0; k < types.Count; k++)
        {
            string type = types[k];
            actual[k] = trueSet.Count(e => e.Type == type);
            predicted[k] = predSet.Count(e => e.Type == type);
            tp[k] = trueSet.Count(e => e.Type == type && predSet.Contains(e));
            rows.Add(PrfMath.Row(type, tp[k], predicted[k], actual[k]));
        }
        return new NerReport(rows, PrfMath.Micro(tp, predicted, actual), PrfMath.Macro(rows), PrfMath.Weighted(rows),
            (double)correct / tokens, mode, mode == NerMode.Strict ? scheme : null, suffix);
    }
}
