using System.Globalization;
using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Audit;
using Xunit.Abstractions;

namespace TuneSharp.Tests.Data.Audit;

public class AuditTests(ITestOutputHelper output)
{
    /// <summary>Two classes with their own vocabularies plus 30% shared filler words.</summary>
    internal static List<DataRecord> Synthetic(int n, int seed)
    {
        string[] sport = ["goal", "match", "team", "coach", "league", "score", "striker", "referee", "season", "stadium", "keeper", "transfer"];
        string[] finance = ["stock", "market", "bond", "yield", "investor", "dividend", "inflation", "bank", "shares", "earnings", "fund", "rate"];
        string[] filler = ["the", "a", "today", "after", "new", "report", "said", "week", "big", "more", "on", "with"];
        var rng = new Random(seed);
        var rows = new List<DataRecord>();
        for (int i = 0; i < n; i++)
        {
            bool isSport = i % 2 == 0;
            var vocab = isSport ? sport : finance;
            var words = Enumerable.Range(0, 25).Select(_ => rng.NextDouble() < 0.3 ? filler[rng.Next(filler.Length)] : vocab[rng.Next(vocab.Length)]);
            rows.Add(new DataRecord("synthetic.jsonl", i + 1, new JsonObject { ["text"] = string.Join(' ', words), ["label"] = isSport ? "sport" : "finance" }));
        }
        return rows;
    }

    [Fact]
    public void Finds_flipped_labels_on_separable_synthetic_data()
    {
        var m = LabelNoiseMeasurement.Run(Synthetic(1000, 3), new AuditOptions { Folds = 5, Seed = 1 }, flipFraction: 0.05, flipSeed: 11);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"synthetic: {m.Examples} rows, {m.Flipped} flipped, {m.Flagged} flagged, precision {m.Precision:F3}, recall {m.Recall:F3}"));
        output.WriteLine(m.Report.Summary(5));
        Assert.Equal(50, m.Flipped);
        Assert.True(m.Precision >= 0.9, $"precision {m.Precision}");
        Assert.True(m.Recall >= 0.9, $"recall {m.Recall}");
        var ranked = m.Report.Issues.Select(i => i.SelfConfidence).ToList();
        Assert.Equal(ranked.Order(), ranked);
        Assert.All(m.Report.Issues, i => Assert.NotEqual(i.GivenLabel, i.SuggestedLabel));
    }

    [Fact]
    public void Confident_learning_uses_per_class_thresholds_and_ranks_by_self_confidence()
    {
        // Rows labelled 0 average p0 = 0.6875, rows labelled 1 average p1 = 0.4875: the thresholds.
        double[][] p = [[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.35, 0.65], [0.6, 0.4], [0.8, 0.2], [0.2, 0.8], [0.45, 0.55]];
        int[] labels = [0, 0, 0, 0, 1, 1, 1, 1];
        var r = ConfidentLearning.Find(p, labels, 2);
        Assert.Equal(0.6875, r.Thresholds[0], 10);
        Assert.Equal(0.4875, r.Thresholds[1], 10);
        // Row 3 (label 0, p1 = 0.65 ≥ t1) and row 5 (label 1, p0 = 0.8 ≥ t0) are off-diagonal; rows 2 and 4 have
        // p0 = 0.6 < t0 and p1 = 0.4 < t1, so they are in no cell at all.
        Assert.Equal([5, 3], r.Issues.Select(i => i.Index));
        Assert.Equal([0, 1], r.Issues.Select(i => i.SuggestedLabel));
        Assert.Equal(0.2, r.Issues[0].SelfConfidence, 10);
        Assert.Equal([2L, 1L], r.ConfidentJoint[0]);
        Assert.Equal([1L, 2L], r.ConfidentJoint[1]);
    }

    [Fact]
    public void Stratified_folds_are_balanced_and_seeded()
    {
        var labels = Enumerable.Range(0, 103).Select(i => i % 10 == 0 ? 1 : 0).ToArray();
        var folds = StratifiedKFold.Assign(labels, 5, 9);
        for (int f = 0; f < 5; f++)
        {
            Assert.InRange(folds.Count(x => x == f), 20, 21);
            Assert.InRange(Enumerable.Range(0, 103).Count(i => folds[i] == f && labels[i] == 1), 2, 3);
        }
        Assert.Equal(folds, StratifiedKFold.Assign(labels, 5, 9));
        Assert.NotEqual(folds, StratifiedKFold.Assign(labels, 5, 10));
    }

    /// <summary>A plugged-in classifier: a keyword rule standing in for a fine-tuned model.</summary>
    sealed class KeywordClassifier : ITextClassifierTrainer, ITextClassifierModel
    {
        public string Name => "keyword rule";
        public ITextClassifierModel Train(IReadOnlyList<string> texts, IReadOnlyList<int> labels, int classCount, int seed) => this;
        // Classes are sorted: 0 = "finance", 1 = "sport".
        public double[] PredictProbabilities(string text) => text.Contains("goal") ? [0.1, 0.9] : [0.9, 0.1];
    }

    [Fact]
    public void Classifier_is_pluggable_and_issues_name_the_row()
    {
        var rows = new List<DataRecord>();
        for (int i = 0; i < 20; i++)
            rows.Add(new DataRecord("d.jsonl", i + 1, new JsonObject { ["body"] = i % 2 == 0 ? "goal" : "bond", ["y"] = i % 2 == 0 ? "sport" : "finance" }));
        rows[4] = rows[4] with { Fields = new JsonObject { ["body"] = "goal", ["y"] = "finance" } };
        var report = LabelNoiseAudit.Run(rows, new AuditOptions { TextField = "body", LabelField = "y", Folds = 4, Classifier = new KeywordClassifier() });
        var issue = Assert.Single(report.Issues);
        Assert.Equal(5, issue.Record.Line);
        Assert.Equal(("finance", "sport"), (issue.GivenLabel, issue.SuggestedLabel));
        Assert.Equal("keyword rule", report.Classifier);
        Assert.Contains("d.jsonl:5: labelled 'finance'", report.Summary());
    }

    [Fact]
    public void Rows_without_label_or_text_are_user_errors_naming_the_line()
    {
        var rows = Synthetic(10, 1);
        rows[6].Fields.Remove("label");
        var e = Assert.Throws<UserError>(() => LabelNoiseAudit.Run(rows, new AuditOptions()));
        Assert.Equal("synthetic.jsonl:7: no label field 'label'", e.Message);
        Assert.Throws<UserError>(() => LabelNoiseAudit.Run(Synthetic(10, 1), new AuditOptions { TextField = "body" }));
        Assert.Throws<UserError>(() => LabelNoiseAudit.Run(Synthetic(10, 1).Where(r => (string)r.Fields["label"]! == "sport"), new AuditOptions()));
    }
}
