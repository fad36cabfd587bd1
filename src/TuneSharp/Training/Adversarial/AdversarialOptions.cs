namespace TuneSharp.Training.Adversarial;

/// <summary>
/// The recipe's <c>adversarial:</c> section. The perturbation delta lives on the input word embeddings (B, T, C),
/// is zero on padding, and is measured per example over all its tokens (L2) or per element (Linf).
/// </summary>
public sealed record AdversarialOptions
{
    /// <summary>fgm | pgd | freelb | smart.</summary>
    public string Method { get; init; } = "fgm";

    /// <summary>Radius of the ball delta stays in (FGM: the exact norm of delta).</summary>
    public double Epsilon { get; init; } = 1.0;

    /// <summary>Ascent step alpha (PGD, FreeLB, SMART): delta += alpha · direction of the gradient.</summary>
    public double StepSize { get; init; } = 0.3;

    /// <summary>Ascent steps K (PGD, FreeLB, SMART).</summary>
    public int Steps { get; init; } = 1;

    /// <summary>l2 (per-example Euclidean norm, direction g/‖g‖) | linf (per-element, direction sign(g)).</summary>
    public string Norm { get; init; } = "l2";

    /// <summary>Start of delta: zero | uniform (in the ball, as FreeLB) | normal (variance noise_var, as SMART).</summary>
    public string Init { get; init; } = "zero";

    /// <summary>SMART: weight of the smoothness term lambda_s · symmetric KL(f(x), f(x + delta)).</summary>
    public double LambdaS { get; init; } = 1.0;

    /// <summary>SMART: weight of the Bregman proximal term mu · symmetric KL(f_θ(x), f_θ̃(x)); 0 turns it off.</summary>
    public double Mu { get; init; } = 1.0;

    /// <summary>SMART: momentum of the mean teacher θ̃ ← beta · θ̃ + (1 − beta) · θ after each step.</summary>
    public double Beta { get; init; } = 0.99;

    /// <summary>Variance of the Gaussian start of delta (init: normal).</summary>
    public double NoiseVar { get; init; } = 1e-5;
}
