using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training;

public class SoftmaxRegressionTests
{
    /// <summary>Three Gaussian blobs in 5 dimensions, features on very different scales (so standardisation matters).</summary>
    static (float[,] X, int[] Y) Blobs(int n, int seed)
    {
        var rng = new Random(seed);
        double[] scale = [1, 10, 0.1, 100, 1];
        var x = new float[n, 5];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            for (int j = 0; j < 5; j++)
            {
                double gauss = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                x[i, j] = (float)(scale[j] * ((j == y[i] ? 1.5 : 0) + gauss));
            }
        }
        return (x, y);
    }

    /// <summary>The objective on standardised features, written independently with autograd: mean CE + l2/2‖W‖².</summary>
    static (double Value, double GradNorm) Objective(float[,] x, int[] y, double l2, float[,] weight, float[] bias)
    {
        var raw = tensor(x).to_type(ScalarType.Float64);                                             // (N, D)
        var mean = raw.mean([0]);
        var std = raw.std(0, unbiased: false);
        var w = tensor(weight).to_type(ScalarType.Float64);                                          // (K, D), raw scale
        // Unfold: logits = W x + b = (W σ) z + (b + W μ) with z = (x - μ) / σ.
        var wz = (w * std.unsqueeze(0)).detach().requires_grad_(true);
        var bz = (tensor(bias).to_type(ScalarType.Float64) + w.mm(mean.unsqueeze(1)).squeeze(1)).detach().requires_grad_(true);
        var z = (raw - mean) / std;
        var logits = z.mm(wz.t()) + bz;
        var loss = nn.functional.cross_entropy(logits, tensor(y.Select(v => (long)v).ToArray())) + 0.5 * l2 * wz.pow(2).sum();
        loss.backward();
        double norm = Math.Sqrt(wz.grad!.pow(2).sum().item<double>() + bz.grad!.pow(2).sum().item<double>());
        return (loss.item<double>(), norm);
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(1e-1)]
    public void The_fit_is_a_stationary_point_of_the_penalised_objective(double l2)
    {
        var (x, y) = Blobs(150, seed: 1);
        var fit = SoftmaxRegression.Fit(x, y, 3, l2);
        var (_, grad) = Objective(x, y, l2, fit.Weight, fit.Bias);
        Assert.True(grad < 1e-4, $"gradient norm {grad} at the returned solution (solver reported {fit.GradientNorm}, {fit.Iterations} iterations)");
        // Perturbing the solution can only raise the objective (strict convexity).
        var (value, _) = Objective(x, y, l2, fit.Weight, fit.Bias);
        var moved = (float[,])fit.Weight.Clone();
        moved[0, 1] += 0.05f;
        Assert.True(Objective(x, y, l2, moved, fit.Bias).Value > value);
    }

    [Fact]
    public void Raw_feature_logits_separate_the_blobs_and_more_penalty_shrinks_the_weights()
    {
        var (x, y) = Blobs(300, seed: 2);
        var weak = SoftmaxRegression.Fit(x, y, 3, 1e-3);
        var strong = SoftmaxRegression.Fit(x, y, 3, 1.0);
        var (tx, ty) = Blobs(300, seed: 3);
        var logits = tensor(tx).mm(tensor(weak.Weight).t()) + tensor(weak.Bias);                   // (N, K)
        var predicted = logits.argmax(1).data<long>().ToArray();
        double accuracy = predicted.Zip(ty).Count(p => p.First == p.Second) / 300.0;
        Assert.True(accuracy > 0.7, $"held-out accuracy {accuracy}");
        static double Norm(float[,] w, float[] s) => w.Cast<float>().Zip(Enumerable.Range(0, w.Length)).Sum(p => Math.Pow(p.First * s[p.Second % s.Length], 2));
        float[] scale = [1, 10, 0.1f, 100, 1]; // compare on the standardised scale, where the penalty acts
        Assert.True(Norm(strong.Weight, scale) < Norm(weak.Weight, scale));
    }

    [Fact]
    public void Same_input_gives_the_same_fit()
    {
        var (x, y) = Blobs(60, seed: 4);
        var a = SoftmaxRegression.Fit(x, y, 3, 1e-2);
        var b = SoftmaxRegression.Fit(x, y, 3, 1e-2);
        Assert.Equal(a.Weight.Cast<float>(), b.Weight.Cast<float>());
        Assert.Equal(a.Bias, b.Bias);
    }
}
