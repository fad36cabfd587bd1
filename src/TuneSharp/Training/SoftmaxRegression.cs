using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>A fitted multinomial logistic regression on raw features: logits = x · Weightᵀ + Bias.</summary>
/// <param name="Weight">(K, D) float32, standardisation folded in.</param>
/// <param name="Bias">(K,) float32.</param>
/// <param name="Iterations">Gradient steps taken.</param>
/// <param name="GradientNorm">Norm of the objective's gradient at the solution (the convergence evidence).</param>
public sealed record SoftmaxRegressionFit(float[,] Weight, float[] Bias, int Iterations, double GradientNorm)
{
    /// <summary>Logits (N, K) of <paramref name="features"/> (N, D), in the caller's dispose scope.</summary>
    public Tensor Logits(float[,] features) => tensor(features).mm(tensor(Weight).t()) + tensor(Bias);

    /// <summary>The predicted class of each row of <paramref name="features"/> (N, D).</summary>
    public int[] Predict(float[,] features)
    {
        using var scope = NewDisposeScope();
        return Logits(features).argmax(1).data<long>().Select(p => (int)p).ToArray();
    }
}

/// <summary>
/// Multinomial logistic regression with an L2 penalty (scikit-learn's LogisticRegression with C = 1 / (l2 · N)):
/// minimises mean cross-entropy + l2/2 · ‖W‖² (the bias is not penalised) on standardised features, by Nesterov's
/// accelerated gradient for strongly convex functions. The step is 1/L with L a proven bound on the curvature
/// (the softmax Hessian is at most ½ I, so L = ½ λmax(XᵀX/N) + l2), so the iteration converges without a line
/// search and is deterministic. The problem is small (a few thousand rows of a few hundred features), in float64.
/// </summary>
public static class SoftmaxRegression
{
    /// <summary>Fits on <paramref name="features"/> (N, D) with integer <paramref name="labels"/> in [0, classes).</summary>
    public static SoftmaxRegressionFit Fit(float[,] features, int[] labels, int classes, double l2, int maxIterations = 5000, double tolerance = 1e-6)
    {
        int n = features.GetLength(0), d = features.GetLength(1);
        if (n == 0 || n != labels.Length) throw new ArgumentException($"{n} feature rows for {labels.Length} labels");
        if (l2 <= 0) throw new ArgumentOutOfRangeException(nameof(l2), "the L2 penalty must be > 0 (it makes the problem strongly convex)");
        using var scope = NewDisposeScope();
        var x = tensor(features).to_type(ScalarType.Float64);                                   // (N, D)
        var mean = x.mean([0]);                                                                 // (D,)
        var std = x.std(0, unbiased: false).clamp_min(1e-8);                                    // (D,)
        var z = cat([(x - mean) / std, ones(n, 1, ScalarType.Float64)], 1);                     // (N, D+1), last column = bias
        var y = nn.functional.one_hot(tensor(labels.Select(l => (long)l).ToArray()), classes).to_type(ScalarType.Float64); // (N, K)
        var penalty = cat([full(d, l2, ScalarType.Float64), zeros(1, ScalarType.Float64)]);      // (D+1,): no penalty on the bias

        double lipschitz = 0.5 * LargestEigenvalue(z.t().mm(z) / n) + l2;
        double kappa = Math.Sqrt(l2 / lipschitz);
        double momentum = (1 - kappa) / (1 + kappa);

        var w = zeros(d + 1, classes, ScalarType.Float64);                                       // (D+1, K)
        var look = w.clone();
        int iterations = 0;
        double gradNorm = double.PositiveInfinity;
        for (; iterations < maxIterations; iterations++)
        {
            using var step = NewDisposeScope();
            var grad = Gradient(z, y, look, penalty, n);
            gradNorm = grad.norm().item<double>();
            if (gradNorm < tolerance) break;
            var next = look - grad / lipschitz;
            var nextLook = next + momentum * (next - w);
            w.copy_(next);
            look.copy_(nextLook);
        }
        gradNorm = Gradient(z, y, w, penalty, n).norm().item<double>();

        // Fold the standardisation into the linear map: W·(x-μ)/σ + b = (W/σ)·x + (b - (W/σ)·μ).
        var scaled = w[..d] / std.unsqueeze(1);                                                   // (D, K)
        var bias = w[d] - (mean.unsqueeze(0).mm(scaled)).squeeze(0);                            // (K,)
        var weight = scaled.t().contiguous().to_type(ScalarType.Float32);                        // (K, D)
        var weightArray = new float[classes, d];
        var flat = weight.data<float>().ToArray();
        Buffer.BlockCopy(flat, 0, weightArray, 0, flat.Length * sizeof(float));
        return new SoftmaxRegressionFit(weightArray, bias.to_type(ScalarType.Float32).data<float>().ToArray(), iterations, gradNorm);
    }

    /// <summary>∇ of mean CE + l2/2‖W‖² at <paramref name="w"/> (D+1, K).</summary>
    static Tensor Gradient(Tensor z, Tensor y, Tensor w, Tensor penalty, int n)
    {
        var p = z.mm(w).softmax(1);                                                               // (N, K)
        return z.t().mm(p - y) / n + penalty.unsqueeze(1) * w;                                   // (D+1, K)
    }

    /// <summary>λmax of a symmetric positive semi-definite matrix, by power iteration (an upper bound is all the step needs).</summary>
    static double LargestEigenvalue(Tensor m)
    {
        var v = ones(m.shape[0], 1, ScalarType.Float64);
        double lambda = 0;
        for (int i = 0; i < 100; i++)
        {
            var mv = m.mm(v);
            double norm = mv.norm().item<double>();
            if (norm == 0) return 0;
            v = mv / norm;
            if (Math.Abs(norm - lambda) < 1e-9 * norm) { lambda = norm; break; }
            lambda = norm;
        }
        return lambda * 1.01; // power iteration approaches from below; a 1% margin keeps 1/L a safe step
    }
}
