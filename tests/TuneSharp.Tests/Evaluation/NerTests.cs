using TuneSharp.Evaluation;

namespace TuneSharp.Tests.Evaluation;

public class NerTests
{
    static IReadOnlyList<IReadOnlyList<string>> S(params string[][] sentences) => sentences;

    // seqeval README usage example (also the classification_report docstring).
    static readonly IReadOnlyList<IReadOnlyList<string>> ReadmeTrue =
        S(["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]);
    static readonly IReadOnlyList<IReadOnlyList<string>> ReadmePred =
        S(["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]);

    [Fact]
    public void ReadmeExampleDefaultMode()
    {
        // seqeval README: f1_score -> 0.50, accuracy_score -> 0.80, and this classification_report.
        var r = NerMetrics.Evaluate(ReadmeTrue, ReadmePred);
        Assert.Equal(0.5, r.Micro.F1, 12);
        Assert.Equal(0.8, r.TokenAccuracy, 12);
        const string expected =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "        MISC       0.00      0.00      0.00         1\n" +
            "         PER       1.00      1.00      1.00         1\n" +
            "\n" +
            "   micro avg       0.50      0.50      0.50         2\n" +
            "   macro avg       0.50      0.50      0.50         2\n" +
            "weighted avg       0.50      0.50      0.50         2\n";
        Assert.Equal(expected, r.ToText());
        Assert.Equal("seqeval|mode:default|suffix:no|zero_division:0", r.Settings);
    }

    [Fact]
    public void ReadmeExampleStrictModeGivesTheSameTable()
    {
        // seqeval README: classification_report(y_true, y_pred, mode='strict', scheme=IOB2) prints the same table.
        var r = NerMetrics.Evaluate(ReadmeTrue, ReadmePred, NerMode.Strict, TaggingScheme.IOB2);
        Assert.Equal(0.5, r.Micro.F1, 12);
        Assert.Equal([0.0, 1.0], r.Types.Select(t => t.F1));
        Assert.Equal("seqeval|mode:strict|scheme:IOB2|suffix:no|zero_division:0", r.Settings);
    }

    [Fact]
    public void DefaultAndStrictDisagreeOnIAfterO()
    {
        // seqeval README, strict-mode example: y_true=[['B-NP','I-NP','O']], y_pred=[['I-NP','I-NP','O']]
        // default report: NP 1.00 1.00 1.00 1; strict (IOB2): NP 0.00 0.00 0.00 1.
        var yTrue = S(["B-NP", "I-NP", "O"]);
        var yPred = S(["I-NP", "I-NP", "O"]);
        var lenient = NerMetrics.Evaluate(yTrue, yPred);
        Assert.Equal(new ScoreRow("NP", 1, 1, 1, 1), lenient.Types.Single());
        Assert.Equal(1.0, lenient.Micro.F1);
        var strict = NerMetrics.Evaluate(yTrue, yPred, NerMode.Strict, TaggingScheme.IOB2);
        Assert.Equal(new ScoreRow("NP", 0, 0, 0, 1), strict.Types.Single());
        Assert.Equal(new ScoreRow("micro avg", 0, 0, 0, 1), strict.Micro);
        Assert.Equal(new ScoreRow("weighted avg", 0, 0, 0, 1), strict.Weighted);
    }

    [Fact]
    public void AveragesMatchSequenceLabelingDocstrings()
    {
        // seqeval/metrics/sequence_labeling.py f1_score/precision_score/recall_score docstrings:
        // micro 0.6666666666666666, macro 0.75, weighted 0.6666666666666666, average=None [0.5, 1.]
        var yTrue = S(["O", "O", "B-MISC", "I-MISC", "B-MISC", "O", "O"], ["B-PER", "I-PER", "O"]);
        var yPred = S(["O", "O", "B-MISC", "I-MISC", "B-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]);
        var r = NerMetrics.Evaluate(yTrue, yPred);
        Assert.Equal(0.6666666666666666, r.Micro.F1, 15);
        Assert.Equal(0.6666666666666666, r.Micro.Precision, 15);
        Assert.Equal(0.6666666666666666, r.Micro.Recall, 15);
        Assert.Equal(0.75, r.Macro.F1, 15);
        Assert.Equal(0.75, r.Macro.Precision, 15);
        Assert.Equal(0.6666666666666666, r.Weighted.F1, 15);
        Assert.Equal([0.5, 1.0], r.Types.Select(t => t.F1));
    }

    [Fact]
    public void StrictReportMatchesSeqevalV1Tests()
    {
        // seqeval tests/test_v1.py TestClassificationReport (scheme auto-detected as IOB2):
        // y_true=[['B-A','B-B','O','B-A']], y_pred=[['O','B-B','B-C','B-A']]
        var yTrue = S(["B-A", "B-B", "O", "B-A"]);
        var yPred = S(["O", "B-B", "B-C", "B-A"]);
        var r = NerMetrics.Evaluate(yTrue, yPred, NerMode.Strict, TaggingScheme.IOB2);
        // test_output_dict
        Assert.Equal(new ScoreRow("A", 1.0, 0.5, 0.6666666666666666, 2), r.Types[0]);
        Assert.Equal(new ScoreRow("B", 1.0, 1.0, 1.0, 1), r.Types[1]);
        Assert.Equal(new ScoreRow("C", 0.0, 0.0, 0.0, 0), r.Types[2]);
        Assert.Equal(0.5555555555555555, r.Macro.F1, 15);
        Assert.Equal(0.6666666666666666, r.Macro.Precision, 15);
        Assert.Equal(0.5, r.Macro.Recall, 15);
        Assert.Equal(0.6666666666666666, r.Micro.F1, 15);
        Assert.Equal(0.7777777777777777, r.Weighted.F1, 15);
        Assert.Equal(1.0, r.Weighted.Precision, 15);
        Assert.Equal(0.6666666666666666, r.Weighted.Recall, 15);
        // test_output_string
        const string expected =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "           A       1.00      0.50      0.67         2\n" +
            "           B       1.00      1.00      1.00         1\n" +
            "           C       0.00      0.00      0.00         0\n" +
            "\n" +
            "   micro avg       0.67      0.67      0.67         3\n" +
            "   macro avg       0.67      0.50      0.56         3\n" +
            "weighted avg       1.00      0.67      0.78         3\n";
        Assert.Equal(expected, r.ToText());
    }

    [Fact]
    public void WeightedWithNoTrueEntitiesIsZero()
    {
        // seqeval tests/test_v1.py test_weighted_true_sum_zero: ([['O']], [['O']], average='weighted') -> (0.0, 0.0, 0.0, 0)
        var r = NerMetrics.Evaluate(S(["O"]), S(["O"]), NerMode.Strict, TaggingScheme.IOB2);
        Assert.Equal(new ScoreRow("weighted avg", 0, 0, 0, 0), r.Weighted);
    }

    [Fact]
    public void DefaultModeEntitiesMatchGetEntitiesTests()
    {
        // seqeval tests/test_metrics.py test_get_entities: -> [('MISC', 3, 5), ('PER', 7, 8)] (end inclusive there,
        // exclusive here)
        var e = NerMetrics.Entities(S(["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O", "B-PER", "I-PER"]));
        Assert.Equal([new Entity(0, "MISC", 3, 6), new Entity(0, "PER", 7, 9)], e);
        // test_get_entities_with_suffix_style: same with 'MISC-B', 'MISC-I', ...
        var suffix = NerMetrics.Entities(S(["O", "O", "O", "MISC-B", "MISC-I", "MISC-I", "O", "PER-B", "PER-I"]), suffix: true);
        Assert.Equal([new Entity(0, "MISC", 3, 6), new Entity(0, "PER", 7, 9)], suffix);
        // test_get_entities_with_only_IOB: [['O','O','O','B','I','I','O'], ['B','I','O']] -> [('_', 3, 5), ('_', 8, 9)]
        // (seqeval's positions are in the flattened sequence with one 'O' between sentences: 8 is sentence 1, token 0)
        var bare = NerMetrics.Entities(S(["O", "O", "O", "B", "I", "I", "O"], ["B", "I", "O"]));
        Assert.Equal([new Entity(0, "_", 3, 6), new Entity(1, "_", 0, 2)], bare);
    }

    public static TheoryData<TaggingScheme, string[], string> SchemeCases => new()
    {
        // seqeval tests/test_scheme.py test_iob2_tokens (entities as (tag, start, end-exclusive))
        { TaggingScheme.IOB2, [], "" },
        { TaggingScheme.IOB2, ["B-PER"], "PER 0 1" },
        { TaggingScheme.IOB2, ["I-PER"], "" },
        { TaggingScheme.IOB2, ["O", "I-PER"], "" },
        { TaggingScheme.IOB2, ["I-PER", "B-ORG"], "ORG 1 2" },
        { TaggingScheme.IOB2, ["B-PER", "I-PER"], "PER 0 2" },
        { TaggingScheme.IOB2, ["B-PER", "I-ORG"], "PER 0 1" },
        { TaggingScheme.IOB2, ["B-PER", "B-PER"], "PER 0 1; PER 1 2" },
        { TaggingScheme.IOB2, ["B-PER", "B-ORG"], "PER 0 1; ORG 1 2" },
        // test_iob2_tokens_without_tag
        { TaggingScheme.IOB2, ["B", "I"], "_ 0 2" },
        // test_iob1_tokens
        { TaggingScheme.IOB1, ["I-PER"], "PER 0 1" },
        { TaggingScheme.IOB1, ["I-PER", "I-ORG"], "PER 0 1; ORG 1 2" },
        { TaggingScheme.IOB1, ["I-PER", "B-PER"], "PER 0 1; PER 1 2" },
        { TaggingScheme.IOB1, ["B-PER", "I-PER"], "PER 1 2" },
        { TaggingScheme.IOB1, ["B-PER", "B-ORG"], "" },
        // test_ioe2_tokens
        { TaggingScheme.IOE2, ["E-PER"], "PER 0 1" },
        { TaggingScheme.IOE2, ["I-PER"], "" },
        { TaggingScheme.IOE2, ["I-PER", "E-PER"], "PER 0 2" },
        { TaggingScheme.IOE2, ["I-PER", "E-ORG"], "ORG 1 2" },
        { TaggingScheme.IOE2, ["E-PER", "I-PER"], "PER 0 1" },
        { TaggingScheme.IOE2, ["E-PER", "E-ORG"], "PER 0 1; ORG 1 2" },
        // test_iobes_tokens
        { TaggingScheme.IOBES, ["S-PER"], "PER 0 1" },
        { TaggingScheme.IOBES, ["B-PER"], "" },
        { TaggingScheme.IOBES, ["I-PER", "S-PER"], "PER 1 2" },
        { TaggingScheme.IOBES, ["B-PER", "E-PER"], "PER 0 2" },
        { TaggingScheme.IOBES, ["B-PER", "E-ORG"], "" },
        { TaggingScheme.IOBES, ["B-PER", "S-PER"], "PER 1 2" },
        { TaggingScheme.IOBES, ["S-PER", "E-PER"], "PER 0 1" },
        { TaggingScheme.IOBES, ["S-PER", "S-PER"], "PER 0 1; PER 1 2" },
    };

    [Theory]
    [MemberData(nameof(SchemeCases))]
    public void StrictEntitiesMatchSeqevalSchemeTests(TaggingScheme scheme, string[] tags, string expected)
    {
        var entities = NerMetrics.Entities(S(tags), NerMode.Strict, scheme);
        Assert.Equal(expected, string.Join("; ", entities.Select(e => $"{e.Type} {e.Start} {e.End}")));
    }

    [Fact]
    public void StrictTypeKeepsInnerDashes()
    {
        // seqeval tests/test_scheme.py test_token_tag: 'I-ORG-COMPANY' -> 'ORG-COMPANY', 'ORG-COMPANY-I' (suffix) -> 'ORG-COMPANY'
        Assert.Equal("ORG-COMPANY", NerMetrics.Entities(S(["B-ORG-COMPANY"]), NerMode.Strict).Single().Type);
        Assert.Equal("ORG-COMPANY", NerMetrics.Entities(S(["ORG-COMPANY-B"]), NerMode.Strict, suffix: true).Single().Type);
    }

    [Fact]
    public void BadInputIsAUserError()
    {
        // seqeval tests/test_scheme.py test_raise_exception_when_iobes_tokens_with_iob2_scheme: ValueError
        var e = Assert.Throws<UserError>(() =>
            NerMetrics.Evaluate(S(["B-PER", "E-PER", "S-PER"]), S(["B-PER", "E-PER", "S-PER"]), NerMode.Strict, TaggingScheme.IOB2));
        Assert.Contains("'E-PER' is not valid in the IOB2 scheme", e.Message);
        // seqeval tests/test_v1.py test_length: y_true=[['B-PER']], y_pred=[['B-PER','O']] -> ValueError
        var len = Assert.Throws<UserError>(() => NerMetrics.Evaluate(S(["B-PER"]), S(["B-PER", "O"])));
        Assert.Contains("sentence 0 has 1 true tag(s) but 2 predicted", len.Message);
        Assert.Throws<UserError>(() => NerMetrics.Evaluate(S(["O"]), S(["O"], ["O"])));
        Assert.Throws<UserError>(() => NerMetrics.Evaluate(S(), S()));
        Assert.Throws<UserError>(() => NerMetrics.Evaluate(S(["B-PER", ""]), S(["B-PER", "O"])));
    }
}
