using TuneSharp.Inference;
using TuneSharp.Training;

namespace TuneSharp.FewShot;

/// <summary>
/// The classification head of SetFit and of frozen embeddings: multinomial logistic regression on sentence vectors,
/// with scikit-learn's LogisticRegression default C = 1 (l2 = 1/N), which SetFit uses. There is no penalty search:
/// a k-shot set has no validation split to search on (choosing on the test set would flatter the method).
/// </summary>
public static class EmbeddingClassifier
{
    // 1,000 accelerated steps (not the regression's 5,000): on a shared CPU a curve fits dozens of heads, and the
    // gradient norm at 1,000 is already far below what moves a test prediction.
    public static SoftmaxRegressionFit Fit(float[][] vectors, IReadOnlyList<int> labels, int classes) =>
        SoftmaxRegression.Fit(Matrix(vectors), [.. labels], classes, l2: 1.0 / vectors.Length, maxIterations: 1000, tolerance: 1e-5);

    /// <summary>Rows of equal width as an (N, D) matrix.</summary>
    public static float[,] Matrix(float[][] rows)
    {
        var m = new float[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[i].Length; j++) m[i, j] = rows[i][j];
        return m;
    }

    /// <summary>Predicted class of each text: embed with <paramref name="encoder"/>, apply the head.</summary>
    public static int[] Predict(SentenceEncoder encoder, SoftmaxRegressionFit head, IReadOnlyList<string> texts, int batchSize = 64) =>
        head.Predict(Matrix(encoder.Embed(texts, batchSize)));
}
