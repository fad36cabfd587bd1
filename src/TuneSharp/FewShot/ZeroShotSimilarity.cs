using TuneSharp.Inference;

namespace TuneSharp.FewShot;

/// <summary>
/// Zero-shot classification by embedding similarity: each text goes to the label whose description
/// ("This passage is {description}.") has the highest cosine similarity to it. No labelled example is used.
/// </summary>
public static class ZeroShotSimilarity
{
    /// <summary>The index into <paramref name="descriptions"/> of each text's nearest description.</summary>
    public static int[] Predict(SentenceEncoder encoder, IReadOnlyList<string> descriptions, IReadOnlyList<float[]> textVectors)
    {
        var labels = encoder.Embed(descriptions.Select(d => $"This passage is {d}.").ToList());
        return textVectors.Select(p => Enumerable.Range(0, labels.Length).MaxBy(i => Cosine(p, labels[i]))).ToArray();
    }

    /// <summary>Cosine similarity of two vectors; 0 where one of them is all zeros.</summary>
    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Max(1e-12, Math.Sqrt(na * nb));
    }
}
