namespace TuneSharp.Probing;

/// <summary>What the probe of one layer scored on the test split.</summary>
/// <param name="Layer">0 for the embeddings' output, l for encoder block l's output.</param>
/// <param name="Accuracy">Test accuracy on the real task.</param>
/// <param name="ControlAccuracy">Test accuracy of the same probe (same L2) trained and tested on the control task.</param>
/// <param name="ValidationAccuracy">Validation accuracy of the chosen L2 on the real task.</param>
/// <param name="L2">The penalty chosen on validation.</param>
/// <param name="Iterations">Gradient steps of the chosen fit (at the fit's cap when it did not converge).</param>
public sealed record LayerScore(int Layer, double Accuracy, double ControlAccuracy, double ValidationAccuracy, double L2, int Iterations)
{
    /// <summary>Hewitt &amp; Liang's selectivity: real accuracy − control accuracy, how much of the accuracy the representation explains rather than the probe's memory.</summary>
    public double Selectivity => Accuracy - ControlAccuracy;

    /// <summary>"embeddings" for layer 0, "layer l" after.</summary>
    public string Name => NameOf(Layer);

    /// <summary>"embeddings" for layer 0, "layer l" after.</summary>
    public static string NameOf(int layer) => layer == 0 ? "embeddings" : $"layer {layer}";
}
