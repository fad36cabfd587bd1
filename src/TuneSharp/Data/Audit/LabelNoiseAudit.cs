using System.Diagnostics;
using System.Text.Json.Nodes;

namespace TuneSharp.Data.Audit;

/// <summary>
/// Finds likely label errors: out-of-fold class probabilities from a classifier trained with seeded stratified
/// k-fold (so no example is scored by a model that saw it), then <see cref="ConfidentLearning"/>.
/// Holds all texts in memory (every fold needs them).
/// </summary>
public static class LabelNoiseAudit
{
    /// <summary>Audits labelled rows; throws <see cref="UserError"/> naming file and line for a row without text or label.</summary>
    public static AuditReport Run(IEnumerable<DataRecord> records, AuditOptions options)
    {
        var clock = Stopwatch.StartNew();
        if (options.Folds < 2) throw new UserError($"audit: folds must be >= 2 (got {options.Folds})");
        var rows = new List<DataRecord>();
        var texts = new List<string>();
        var labelNames = new List<string>();
        foreach (var r in records)
        {
            texts.Add(TextOf(r, options.TextField));
            labelNames.Add(LabelOf(r, options.LabelField));
            rows.Add(r);
        }
        if (rows.Count < options.Folds) throw new UserError($"audit: {rows.Count} rows is fewer than {options.Folds} folds");
        var classes = labelNames.Distinct().Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2) throw new UserError($"audit: field '{options.LabelField}' has a single value ('{classes.FirstOrDefault()}'): nothing to compare");
        var classIndex = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var labels = labelNames.Select(l => classIndex[l]).ToArray();

        var trainer = options.Classifier ?? new HashedTfidfLogisticRegression();
        var probabilities = OutOfFold(texts, labels, classes.Count, trainer, options);
        var cl = ConfidentLearning.Find(probabilities, labels, classes.Count);
        int correct = Enumerable.Range(0, labels.Length).Count(i => ArgMax(probabilities[i]) == labels[i]);
        return new AuditReport
        {
            Examples = rows.Count,
            Classes = classes,
            ClassCounts = [.. classes.Select((_, j) => labels.Count(l => l == j))],
            Thresholds = cl.Thresholds,
            ConfidentJoint = cl.ConfidentJoint,
            Issues = [.. cl.Issues.Select(i => new LabelIssue(rows[i.Index], classes[i.GivenLabel], classes[i.SuggestedLabel], i.SelfConfidence, i.SuggestedProbability))],
            OutOfFoldAccuracy = (double)correct / labels.Length,
            Folds = options.Folds,
            Classifier = trainer.Name,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>Out-of-fold probabilities: example i is scored by the model trained on the other folds.</summary>
    public static double[][] OutOfFold(IReadOnlyList<string> texts, IReadOnlyList<int> labels, int classCount, ITextClassifierTrainer trainer, AuditOptions options)
    {
        var fold = StratifiedKFold.Assign(labels, options.Folds, options.Seed);
        var probabilities = new double[texts.Count][];
        Parallel.For(0, options.Folds, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, f =>
        {
            var train = Enumerable.Range(0, texts.Count).Where(i => fold[i] != f).ToList();
            var model = trainer.Train([.. train.Select(i => texts[i])], [.. train.Select(i => labels[i])], classCount, options.Seed + f);
            for (int i = 0; i < texts.Count; i++)
            {
                if (fold[i] != f) continue;
                var p = model.PredictProbabilities(texts[i]);
                if (p.Length != classCount) throw new InvalidOperationException($"{trainer.Name}: returned {p.Length} probabilities for {classCount} classes");
                probabilities[i] = p;
            }
        });
        return probabilities;
    }

    static int ArgMax(double[] p)
    {
        int best = 0;
        for (int k = 1; k < p.Length; k++) if (p[k] > p[best]) best = k;
        return best;
    }

    static string TextOf(DataRecord r, string field)
    {
        if (r.Fields[field] is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw new UserError($"{r.File}:{r.Line}: no string field '{field}' to classify");
    }

    /// <summary>The label's text: strings as they are, numbers and booleans as JSON ("1", "true").</summary>
    internal static string LabelOf(DataRecord r, string field) => r.Fields[field] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        null => throw new UserError($"{r.File}:{r.Line}: no label field '{field}'"),
        var other => throw new UserError($"{r.File}:{r.Line}: label field '{field}' is {other.GetValueKind()}, expected a string, number or boolean"),
    };
}
