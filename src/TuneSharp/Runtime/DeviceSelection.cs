using TorchSharp;

namespace TuneSharp.Runtime;

/// <summary>Resolves the <c>--device auto|cpu|cuda</c> option to a TorchSharp device.</summary>
public static class DeviceSelection
{
    /// <summary>The accepted option values.</summary>
    public static readonly string[] Choices = ["auto", "cpu", "cuda"];

    /// <summary>
    /// "auto" picks CUDA when available, else CPU. "cuda" on a machine without CUDA is a user error.
    /// "cuda:1" selects a device index.
    /// </summary>
    public static torch.Device Resolve(string? name)
    {
        var value = (name ?? "auto").Trim().ToLowerInvariant();
        if (value == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (value == "cpu") return torch.CPU;
        if (value == "cuda" || value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new UserError($"--device {value}: CUDA is not available here (run `tunesharp doctor`); use --device cpu or auto");
            return torch.device(value);
        }
        throw new UserError($"--device {name}: expected one of auto, cpu, cuda");
    }
}
