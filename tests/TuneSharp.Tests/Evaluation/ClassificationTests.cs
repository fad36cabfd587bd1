using TuneSharp.Evaluation;
using TuneSharp.Text;

namespace TuneSharp.Tests.Evaluation;

public class ClassificationTests
{
    // scikit-learn docstrings print "0.22...", "0.33...": the expected values below are the exact
    // fractions those truncations come from, checked to the precision printed.
    const double Printed2 = 0.005;

    [Fact]
    public void AccuracyMatchesScikitLearnDocstring()
    {
        // sklearn/metrics/_classification.py accuracy_score docstring: y_pred=[0,2,1,3], y_true=[0,1,2,3] -> 0.5
        Assert.Equal(0.5, ClassificationMetrics.Accuracy(new[] { 0, 1, 2, 3 }, new[] { 0, 2, 1, 3 }));
    }

    [Fact]
    public void PrecisionRecallFscoreSupportAveragesMatchDocstring()
    {
        // sklearn precision_recall_fscore_support docstring, y_true/y_pred of cats, dogs and pigs:
        // macro (0.22..., 0.33..., 0.26...), micro (0.33..., 0.33..., 0.33...), weighted (0.22..., 0.33..., 0.26...)
        string[] yTrue = ["cat", "dog", "pig", "cat", "dog", "pig"];
        string[] yPred = ["cat", "pig", "dog", "cat", "cat", "dog"];
        var macro = ClassificationMetrics.Average(yTrue, yPred, Averaging.Macro);
        Assert.InRange(macro.Precision, 0.22, 0.22 + 0.01);
        Assert.InRange(macro.Recall, 0.33, 0.33 + 0.01);
        Assert.InRange(macro.F1, 0.26, 0.26 + 0.01);
        Assert.Equal(2.0 / 9, macro.Precision, 12);
        Assert.Equal(4.0 / 15, macro.F1, 12);
        var micro = ClassificationMetrics.Average(yTrue, yPred, Averaging.Micro);
        Assert.Equal(1.0 / 3, micro.Precision, 12);
        Assert.Equal(1.0 / 3, micro.Recall, 12);
        Assert.Equal(1.0 / 3, micro.F1, 12);
        var weighted = ClassificationMetrics.Average(yTrue, yPred, Averaging.Weighted);
        Assert.InRange(weighted.Precision, 0.22, 0.23);
        Assert.InRange(weighted.Recall, 0.33, 0.34);
        Assert.InRange(weighted.F1, 0.26, 0.27);
    }

    [Fact]
    public void PerClassWithExplicitLabelOrderMatchesDocstring()
    {
        // Same docstring, average=None, labels=['pig','dog','cat']:
        // precision [0, 0, 0.66...], recall [0, 0, 1], f1 [0, 0, 0.8], support [2, 2, 2]
        string[] yTrue = ["cat", "dog", "pig", "cat", "dog", "pig"];
        string[] yPred = ["cat", "pig", "dog", "cat", "cat", "dog"];
        var rows = ClassificationMetrics.PerClass(yTrue, yPred, ["pig", "dog", "cat"]);
        Assert.Equal(["pig", "dog", "cat"], rows.Select(r => r.Name));
        Assert.Equal([0.0, 0.0, 2.0 / 3], rows.Select(r => r.Precision));
        Assert.Equal([0.0, 0.0, 1.0], rows.Select(r => r.Recall));
        Assert.Equal(0.8, rows[2].F1, 12);
        Assert.Equal([2L, 2L, 2L], rows.Select(r => r.Support));
    }

    [Fact]
    public void F1ScoreMatchesDocstring()
    {
        // sklearn f1_score docstring: y_true=[0,1,2,0,1,2], y_pred=[0,2,1,0,0,1]:
        // macro 0.26..., micro 0.33..., weighted 0.26..., None -> [0.8, 0, 0]
        int[] yTrue = [0, 1, 2, 0, 1, 2];
        int[] yPred = [0, 2, 1, 0, 0, 1];
        Assert.InRange(ClassificationMetrics.Average(yTrue, yPred, Averaging.Macro).F1, 0.26, 0.26 + Printed2 * 2);
        Assert.InRange(ClassificationMetrics.Average(yTrue, yPred, Averaging.Micro).F1, 0.33, 0.33 + Printed2 * 2);
        Assert.InRange(ClassificationMetrics.Average(yTrue, yPred, Averaging.Weighted).F1, 0.26, 0.26 + Printed2 * 2);
        Assert.Equal([0.8, 0.0, 0.0], ClassificationMetrics.PerClass(yTrue, yPred).Select(r => Math.Round(r.F1, 12)));
    }

    [Fact]
    public void ZeroDivisionGivesZero()
    {
        // sklearn f1_score docstring: y_true_empty = y_pred_empty = [0]*6 -> f1_score(...) 0.0 (zero_division default
        // acts as 0). Scored here as the positive label 1 that never occurs: precision, recall and F1 are all 0.
        int[] zeros = [0, 0, 0, 0, 0, 0];
        var row = ClassificationMetrics.PerClass(zeros, zeros, [1]).Single();
        Assert.Equal((0.0, 0.0, 0.0, 0L), (row.Precision, row.Recall, row.F1, row.Support));
    }

    [Fact]
    public void ConfusionMatrixMatchesDocstring()
    {
        // sklearn confusion_matrix docstring: y_true=[2,0,2,2,0,1], y_pred=[0,0,2,2,0,2] -> [[2,0,0],[0,0,1],[1,0,2]]
        var cm = ClassificationMetrics.ConfusionMatrix(new[] { 2, 0, 2, 2, 0, 1 }, new[] { 0, 0, 2, 2, 0, 2 });
        Assert.Equal([0, 1, 2], cm.Labels);
        Assert.Equal(new long[][] { [2, 0, 0], [0, 0, 1], [1, 0, 2] }, cm.Counts.Select(r => r.ToArray()).ToArray());

        // Same docstring with labels=["ant","bird","cat"] on y_true=["cat","ant","cat","cat","ant","bird"],
        // y_pred=["ant","ant","cat","cat","ant","cat"] -> [[2,0,0],[0,0,1],[1,0,2]]
        var named = ClassificationMetrics.ConfusionMatrix(
            new[] { "cat", "ant", "cat", "cat", "ant", "bird" }, new[] { "ant", "ant", "cat", "cat", "ant", "cat" },
            ["ant", "bird", "cat"]);
        Assert.Equal(new long[][] { [2, 0, 0], [0, 0, 1], [1, 0, 2] }, named.Counts.Select(r => r.ToArray()).ToArray());
        Assert.Equal(1, named["cat", "ant"]);
    }

    [Fact]
    public void ReportMatchesScikitLearnClassificationReportText()
    {
        // sklearn classification_report docstring: y_true=[0,1,2,2,2], y_pred=[0,0,2,2,1],
        // target_names=['class 0','class 1','class 2'] prints exactly this table.
        var report = ClassificationMetrics.Report(new[] { 0, 1, 2, 2, 2 }, new[] { 0, 0, 2, 2, 1 },
            targetNames: ["class 0", "class 1", "class 2"]);
        const string expected =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "     class 0       0.50      1.00      0.67         1\n" +
            "     class 1       0.00      0.00      0.00         1\n" +
            "     class 2       1.00      0.67      0.80         3\n" +
            "\n" +
            "    accuracy                           0.60         5\n" +
            "   macro avg       0.50      0.56      0.49         5\n" +
            "weighted avg       0.70      0.60      0.61         5\n";
        Assert.Equal(expected, report.ToText());
        Assert.Equal(0.6, report.Accuracy, 12);
    }

    [Fact]
    public void ReportWithLabelSubsetShowsMicroAverage()
    {
        // sklearn classification_report docstring: y_pred=[1,1,0], y_true=[1,1,1], labels=[1,2,3]:
        //            1       1.00      0.67      0.80         3
        //            2       0.00      0.00      0.00         0
        //            3       0.00      0.00      0.00         0
        //    micro avg       1.00      0.67      0.80         3
        //    macro avg       0.33      0.22      0.27         3
        // weighted avg       1.00      0.67      0.80         3
        var report = ClassificationMetrics.Report(new[] { 1, 1, 1 }, new[] { 1, 1, 0 }, labels: [1, 2, 3]);
        Assert.False(report.MicroIsAccuracy);
        string text = report.ToText();
        Assert.Contains("           1       1.00      0.67      0.80         3\n", text);
        Assert.Contains("   micro avg       1.00      0.67      0.80         3\n", text);
        Assert.Contains("   macro avg       0.33      0.22      0.27         3\n", text);
        Assert.Contains("weighted avg       1.00      0.67      0.80         3\n", text);
    }

    [Fact]
    public void BadInputIsAUserError()
    {
        var e = Assert.Throws<UserError>(() => ClassificationMetrics.Accuracy(new[] { 1, 2 }, new[] { 1 }));
        Assert.Contains("y_pred has 1 item(s) but y_true has 2", e.Message);
        Assert.Throws<UserError>(() => ClassificationMetrics.Accuracy(Array.Empty<int>(), Array.Empty<int>()));
        Assert.Throws<UserError>(() => ClassificationMetrics.PerClass(new[] { 1 }, new[] { 1 }, [1, 1]));
        Assert.Throws<UserError>(() => ClassificationMetrics.Report(new[] { 1, 2 }, new[] { 1, 2 }, targetNames: ["only one"]));
    }

    [Theory]
    // Python: format(0.125, '.2f') == '0.12' (half-to-even on the exact binary value),
    // format(0.665, '.2f') == '0.67' (0.665 is stored slightly above the tie), format(2/3, '.2f') == '0.67'.
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.375, 2, "0.38")]
    [InlineData(0.665, 2, "0.67")]
    [InlineData(2.0 / 3, 2, "0.67")]
    [InlineData(48.530827, 2, "48.53")]
    [InlineData(0.0, 1, "0.0")]
    public void NumbersAreFormattedAsPythonFormatsThem(double value, int digits, string expected)
        => Assert.Equal(expected, PyText.Fixed(value, digits));
}
