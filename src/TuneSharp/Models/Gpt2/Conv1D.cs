using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Gpt2;

/// <summary>
/// GPT-2's "Conv1D": a linear layer whose weight is stored transposed, (in, out), so y = x @ W + b.
/// Kept as stored so checkpoints load key for key without transposing.
/// </summary>
public sealed class Conv1D : nn.Module<Tensor, Tensor>
{
    public Parameter weight; // (in, out)
    public Parameter bias;   // (out,)

    public Conv1D(long inFeatures, long outFeatures, Device? device, ScalarType? dtype) : base(nameof(Conv1D))
    {
        weight = new Parameter(empty([inFeatures, outFeatures], dtype: dtype, device: device));
        bias = new Parameter(zeros(outFeatures, dtype: dtype, device: device));
        if (device is null || device.type != DeviceType.META)
            using (no_grad()) nn.init.normal_(weight, 0, 0.02);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var shape = x.shape.ToArray();
        shape[^1] = weight.shape[1];
        var y = addmm(bias, x.reshape(-1, x.shape[^1]), weight, beta: 1, alpha: 1); // (B*T, out)
        return y.view(shape).MoveToOuterDisposeScope();
    }
}
