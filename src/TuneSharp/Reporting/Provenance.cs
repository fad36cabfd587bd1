using System.Reflection;
using System.Runtime.InteropServices;

namespace TuneSharp.Reporting;

/// <summary>Where a run's numbers come from: software versions and the machine.</summary>
public sealed record Provenance(
    string TuneSharpVersion,
    string TorchSharpVersion,
    string LibTorchVersion,
    string OperatingSystem,
    int Cores,
    string Device,
    DateTimeOffset Date)
{
    /// <summary>
    /// Reads the versions of this process and the machine it runs on. Loads libtorch if it is not loaded yet;
    /// <paramref name="device"/> is what the run trained on, e.g. "cpu" or "cuda:0 (NVIDIA H100)".
    /// </summary>
    public static Provenance Capture(string device) => new(
        Informational(typeof(Provenance).Assembly),
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        TorchSharp.torch.__version__,
        RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
        Environment.ProcessorCount,
        device,
        DateTimeOffset.UtcNow);

    // The informational version carries "+commit" when SourceLink is on; the commit is worth keeping.
    static string Informational(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
