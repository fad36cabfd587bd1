namespace TuneSharp.Data.Audit;

/// <summary>
/// A cheap, deterministic baseline classifier for the audit: multinomial logistic regression trained by SGD on
/// L2-normalised TF-IDF vectors of hashed word and character n-grams (sublinear tf, smoothed idf from the
/// training texts). It is frozen features + a linear model: fast enough to fit k times on CPU.
/// </summary>
public sealed class HashedTfidfLogisticRegression : ITextClassifierTrainer
{
    /// <summary>Feature settings.</summary>
    public FeatureOptions Features { get; init; } = new();
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Initial SGD step (decays as 1/(1 + epoch)).</summary>
    public double LearningRate { get; init; } = 0.5;
    /// <summary>L2 penalty applied to the weights an example touches (keeps probabilities from saturating).</summary>
    public double L2 { get; init; } = 1e-4;

    /// <inheritdoc/>
    public string Name => $"logistic regression on hashed TF-IDF (word 1-{Features.MaxWordNgram}, char {Features.MinCharNgram}-{Features.MaxCharNgram}, 2^{Features.HashBits}, {Epochs} epochs)";

    /// <inheritdoc/>
    public ITextClassifierModel Train(IReadOnlyList<string> texts, IReadOnlyList<int> labels, int classCount, int seed)
    {
        int dim = 1 << Features.HashBits;
        var raw = texts.Select(t => HashedFeatures.Count(t, Features)).ToList();
        var df = new int[dim];
        foreach (var (index, _) in raw) foreach (var j in index) df[j]++;
        var idf = new float[dim];
        for (int j = 0; j < dim; j++) idf[j] = (float)(Math.Log((1.0 + raw.Count) / (1.0 + df[j])) + 1.0);
        var x = raw.Select(r => Weight(r, idf)).ToList();

        var w = new float[classCount * dim];
        var b = new double[classCount];
        var order = Enumerable.Range(0, x.Count).ToArray();
        var rng = new Random(seed);
        var p = new double[classCount];
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            rng.Shuffle(order);
            double lr = LearningRate / (1 + epoch);
            foreach (var i in order)
            {
                var (index, value) = x[i];
                Scores(w, b, dim, index, value, p);
                Softmax(p);
                for (int c = 0; c < classCount; c++)
                {
                    double g = p[c] - (labels[i] == c ? 1 : 0);
                    int row = c * dim;
                    for (int k = 0; k < index.Length; k++)
                    {
                        int j = row + index[k];
                        w[j] -= (float)(lr * (g * value[k] + L2 * w[j]));
                    }
                    b[c] -= lr * g;
                }
            }
        }
        return new Model(this, w, b, idf, dim, classCount);
    }

    static (int[] Index, float[] Value) Weight((int[] Index, float[] Count) raw, float[] idf)
    {
        var v = new float[raw.Index.Length];
        double norm = 0;
        for (int k = 0; k < v.Length; k++)
        {
            v[k] = (float)((1 + Math.Log(raw.Count[k])) * idf[raw.Index[k]]);
            norm += v[k] * (double)v[k];
        }
        if (norm > 0)
        {
            float inv = (float)(1 / Math.Sqrt(norm));
            for (int k = 0; k < v.Length; k++) v[k] *= inv;
        }
        return (raw.Index, v);
    }

    static void Scores(float[] w, double[] b, int dim, int[] index, float[] value, double[] scores)
    {
        for (int c = 0; c < scores.Length; c++)
        {
            double s = b[c];
            int row = c * dim;
            for (int k = 0; k < index.Length; k++) s += w[row + index[k]] * value[k];
            scores[c] = s;
        }
    }

    static void Softmax(double[] s)
    {
        double max = s.Max(), sum = 0;
        for (int c = 0; c < s.Length; c++) { s[c] = Math.Exp(s[c] - max); sum += s[c]; }
        for (int c = 0; c < s.Length; c++) s[c] /= sum;
    }

    sealed class Model(HashedTfidfLogisticRegression owner, float[] w, double[] b, float[] idf, int dim, int classCount) : ITextClassifierModel
    {
        public double[] PredictProbabilities(string text)
        {
            var (index, value) = Weight(HashedFeatures.Count(text, owner.Features), idf);
            var p = new double[classCount];
            Scores(w, b, dim, index, value, p);
            Softmax(p);
            return p;
        }
    }
}
