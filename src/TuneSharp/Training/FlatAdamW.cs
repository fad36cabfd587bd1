using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>
/// AdamW over one contiguous fp32 buffer of all trainable weights (<see cref="FlatParameters"/>): a step is eight
/// kernel launches whatever the number of tensors, instead of TorchSharp's C# loop of eight launches per tensor.
/// The arithmetic is TorchSharp's AdamW operation for operation (decoupled decay, bias corrections, eps added
/// after the corrected square root), so on CPU in fp32 it gives the same bits. Weight decay applies to the first
/// <see cref="FlatParameters.DecayCount"/> elements (the buffer puts decayed tensors first). Unlike TorchSharp,
/// a tensor that got no gradient is treated as having a zero gradient (it still decays and its moments still move).
/// </summary>
public sealed class FlatAdamW : ITrainingOptimizer
{
    const string Magic = "tunesharp-flat-adamw-1";
    readonly FlatParameters flat;
    readonly Tensor expAvg, expAvgSq; // (n) fp32, like the weights
    readonly double beta1, beta2, eps, weightDecay;
    double lr;
    long step;

    public FlatAdamW(FlatParameters flat, TrainingOptions o)
    {
        this.flat = flat;
        (lr, beta1, beta2, eps, weightDecay) = (o.LearningRate, o.AdamBeta1, o.AdamBeta2, o.AdamEpsilon, o.WeightDecay);
        expAvg = zeros_like(flat.Weights);
        expAvgSq = zeros_like(flat.Weights);
    }

    public long StepCount => step;

    public void SetLearningRate(double lr) => this.lr = lr;

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var p = flat.Weights; var g = flat.Gradients;
        step++;
        var scale = flat.LrScale; // layer-wise rates: lr·factor per element (two more kernels)
        if (weightDecay > 0 && flat.DecayCount > 0)
        {
            var decayed = p.narrow(0, 0, flat.DecayCount);
            if (scale is null) decayed.mul_(1 - lr * weightDecay);
            else decayed.mul_(scale.narrow(0, 0, flat.DecayCount) * (-lr * weightDecay) + 1);
        }
        double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
        expAvg.mul_(beta1).add_(g, alpha: 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(g, g, value: 1 - beta2);
        var denom = (expAvgSq.sqrt() / Math.Sqrt(bc2)).add_(eps);
        p.addcdiv_(scale is null ? expAvg : expAvg * scale, denom, value: -lr / bc1);
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(step);
        writer.Write(expAvg.numel());
        WriteFloats(writer, expAvg);
        WriteFloats(writer, expAvgSq);
    }

    public void Load(BinaryReader reader, string path)
    {
        string magic;
        try { magic = reader.ReadString(); } catch (Exception e) when (e is EndOfStreamException or IOException or FormatException) { magic = ""; }
        if (magic != Magic) throw new UserError($"{path}: not a flat AdamW state (the run was checkpointed with another training.optimizer)");
        try
        {
            long s = reader.ReadInt64(), n = reader.ReadInt64();
            if (n != expAvg.numel()) throw new UserError($"{path}: flat AdamW state holds {n} values, this model trains {expAvg.numel()}");
            ReadFloats(reader, expAvg);
            ReadFloats(reader, expAvgSq);
            step = s;
        }
        catch (EndOfStreamException) { throw new UserError($"{path}: the flat AdamW state is truncated (a torn or damaged checkpoint)"); }
    }

    // In slices of 4M values, so a model of billions of weights never needs one array over 2 GB.
    const long Slice = 1 << 22;

    static void WriteFloats(BinaryWriter w, Tensor t)
    {
        for (long at = 0; at < t.numel(); at += Slice)
        {
            using var cpu = t.narrow(0, at, Math.Min(Slice, t.numel() - at)).cpu();
            w.Write(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
        }
    }

    static void ReadFloats(BinaryReader r, Tensor into)
    {
        using var _ = no_grad();
        for (long at = 0; at < into.numel(); at += Slice)
        {
            long n = Math.Min(Slice, into.numel() - at);
            var bytes = r.ReadBytes((int)(n * 4));
            if (bytes.Length != n * 4) throw new EndOfStreamException();
            using var src = tensor(MemoryMarshal.Cast<byte, float>(bytes).ToArray());
            into.narrow(0, at, n).copy_(src);
        }
    }

    public void Dispose() { expAvg.Dispose(); expAvgSq.Dispose(); }
}
