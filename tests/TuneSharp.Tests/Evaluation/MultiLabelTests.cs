using TuneSharp.Evaluation;

namespace TuneSharp.Tests.Evaluation;

public class MultiLabelTests
{
    static IReadOnlyList<IReadOnlyList<bool>> M(int[][] rows) => rows.Select(r => (IReadOnlyList<bool>)r.Select(v => v == 1).ToList()).ToList();

    [Fact]
    public void PerLabelF1MatchesScikitLearnDocstring()
    {
        // sklearn f1_score docstring, multilabel: y_true=[[0,0,0],[1,1,1],[0,1,1]], y_pred=[[0,0,0],[1,1,1],[1,1,0]]
        // -> f1_score(average=None) = [0.66666667, 1., 0.66666667]
        var r = MultiLabelMetrics.Evaluate(M([[0, 0, 0], [1, 1, 1], [0, 1, 1]]), M([[0, 0, 0], [1, 1, 1], [1, 1, 0]]));
        Assert.Equal(0.66666667, r.Labels[0].F1, 8);
        Assert.Equal(1.0, r.Labels[1].F1, 8);
        Assert.Equal(0.66666667, r.Labels[2].F1, 8);
        // Derived from the same counts (tp=4, fp=1, fn=1 pooled): micro 0.8; macro = mean of the row above.
        Assert.Equal(0.8, r.Micro.F1, 12);
        Assert.Equal((2.0 / 3 + 1 + 2.0 / 3) / 3, r.Macro.F1, 12);
        Assert.Equal(2.0 / 3, r.SubsetAccuracy, 12); // rows 0 and 1 are exact, row 2 is not
    }

    [Fact]
    public void ConfusionCountsMatchMultilabelConfusionMatrixDocstring()
    {
        // sklearn multilabel_confusion_matrix docstring: y_true=[[1,0,1],[0,1,0]], y_pred=[[1,0,0],[0,1,1]]
        // -> [[[1,0],[0,1]], [[1,0],[0,1]], [[0,1],[1,0]]]  (each [[tn, fp], [fn, tp]])
        var r = MultiLabelMetrics.Evaluate(M([[1, 0, 1], [0, 1, 0]]), M([[1, 0, 0], [0, 1, 1]]));
        Assert.Equal(new BinaryConfusion(1, 0, 0, 1), r.Confusions[0]);
        Assert.Equal(new BinaryConfusion(1, 0, 0, 1), r.Confusions[1]);
        Assert.Equal(new BinaryConfusion(0, 1, 1, 0), r.Confusions[2]);
    }

    [Fact]
    public void SubsetAccuracyAndHammingLossMatchDocstrings()
    {
        // sklearn accuracy_score docstring: accuracy_score(np.array([[0, 1], [1, 1]]), np.ones((2, 2))) -> 0.5
        Assert.Equal(0.5, MultiLabelMetrics.SubsetAccuracy(M([[0, 1], [1, 1]]), M([[1, 1], [1, 1]])));
        // sklearn hamming_loss docstring: hamming_loss(np.array([[0, 1], [1, 1]]), np.zeros((2, 2))) -> 0.75
        Assert.Equal(0.75, MultiLabelMetrics.Evaluate(M([[0, 1], [1, 1]]), M([[0, 0], [0, 0]])).HammingLoss);
    }

    [Fact]
    public void RaggedOrMismatchedInputIsAUserError()
    {
        var e = Assert.Throws<UserError>(() => MultiLabelMetrics.Evaluate(M([[1, 0], [0, 1]]), M([[1, 0], [0]])));
        Assert.Contains("sample 1", e.Message);
        Assert.Throws<UserError>(() => MultiLabelMetrics.Evaluate(M([[1, 0]]), M([[1, 0], [0, 1]])));
        Assert.Throws<UserError>(() => MultiLabelMetrics.Evaluate(M([]), M([])));
        Assert.Throws<UserError>(() => MultiLabelMetrics.Evaluate(M([[1, 0]]), M([[1, 0]]), ["a"]));
    }
}
