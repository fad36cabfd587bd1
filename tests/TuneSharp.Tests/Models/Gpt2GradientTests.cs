using TorchSharp;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

/// <summary>
/// tiny-gpt2's reference gradients and AdamW losses were computed by make_fixtures.py in train mode with
/// GPT-2's dropout (p = 0.1) active, so they depend on PyTorch's dropout masks and cannot be reproduced
/// (our eval-mode loss 6.2662 vs the reference's 6.2634). GPT-2's backward pass is checked instead against
/// central finite differences in float64, with dropout off: for each parameter, the directional derivative
/// along a random direction must equal ⟨grad, direction⟩.
/// </summary>
public class Gpt2GradientTests
{
    [Fact]
    public void Gpt2_gradients_match_finite_differences_in_float64()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(Fixtures.HfTiny("tiny-gpt2"));
        model.Module.to(ScalarType.Float64);
        model.Module.eval();
        using var reference = new Reference("tiny-gpt2");
        var ids = reference["input_ids"];
        var mask = reference["attention_mask"];
        var labels = CausalLMLoss.LabelsFromInputs(ids, mask);
        double Loss() { using var s = NewDisposeScope(); return CausalLMLoss.Compute(model.Forward(ids, mask).to_type(ScalarType.Float64), labels).to_type(ScalarType.Float64).item<double>(); }

        var loss = CausalLMLoss.Compute(model.Forward(ids, mask), labels);
        loss.backward();
        var generator = new Generator(42);
        const double eps = 1e-5;
        foreach (var (name, p) in model.Module.named_parameters())
        {
            var direction = randn(p.shape, dtype: ScalarType.Float64, generator: generator);
            double analytic = (p.grad! * direction).sum().item<double>();
            double numeric;
            using (no_grad())
            {
                p.add_(direction, alpha: eps); double plus = Loss();
                p.add_(direction, alpha: -2 * eps); double minus = Loss();
                p.add_(direction, alpha: eps);
                numeric = (plus - minus) / (2 * eps);
            }
            double rel = Math.Abs(analytic - numeric) / Math.Max(Math.Abs(numeric), 1e-8);
            Assert.True(rel <= 1e-3, $"{name}: autograd {analytic:E6} vs finite difference {numeric:E6} (relative error {rel:E2})");
        }
    }
}
