using TuneSharp.IO;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

/// <summary>The PyTorch outputs stored beside each fixture (reference.safetensors).</summary>
public sealed class Reference : IDisposable
{
    readonly SafetensorsFile file;

    public Reference(string fixture) => file = SafetensorsFile.Open(Path.Combine(Fixtures.HfTiny(fixture), "reference.safetensors"));

    public Tensor this[string name] => file.Read(name);

    public IEnumerable<string> Names => file.Tensors.Select(t => t.Name);

    public void Dispose() => file.Dispose();

    /// <summary>Same dtype, shape and values (bit for bit for finite values).</summary>
    public static bool BitEqual(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
    }

    /// <summary>max |a - b|.</summary>
    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).abs().max().item<double>();
    }

    /// <summary>‖a - b‖ / ‖b‖ (relative error of a against the reference b).</summary>
    public static double RelativeError(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var a64 = a.to_type(ScalarType.Float64);
        var b64 = b.to_type(ScalarType.Float64);
        double denom = b64.norm().item<double>();
        return (a64 - b64).norm().item<double>() / Math.Max(denom, 1e-30);
    }
}
