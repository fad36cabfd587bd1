namespace TuneSharp.Data.Audit;

/// <summary>
/// Trains a text classifier that outputs class probabilities. The label-noise audit trains one model per fold
/// and asks it about the held-out texts, so any model can be plugged in: the built-in
/// <see cref="HashedTfidfLogisticRegression"/>, or later a fine-tuned TuneSharp model behind this interface.
/// </summary>
public interface ITextClassifierTrainer
{
    /// <summary>A short description for reports (e.g. "logistic regression on hashed TF-IDF").</summary>
    string Name { get; }

    /// <summary>
    /// Trains on texts with labels 0..classCount-1. A class may be absent from the training texts (small classes
    /// in a fold); the model must still return classCount probabilities.
    /// </summary>
    ITextClassifierModel Train(IReadOnlyList<string> texts, IReadOnlyList<int> labels, int classCount, int seed);
}

/// <summary>A trained classifier.</summary>
public interface ITextClassifierModel
{
    /// <summary>Probabilities of each class (non-negative, summing to 1).</summary>
    double[] PredictProbabilities(string text);
}
