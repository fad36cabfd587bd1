using System.Text;
using TorchSharp;

namespace TuneSharp.Runtime;

/// <summary>What <c>tunesharp doctor</c> reports about the tensor runtime.</summary>
public sealed record RuntimeReport(
    string TorchSharpVersion,
    string LibTorchVersion,
    int Threads,
    bool CudaAvailable,
    int CudaDeviceCount,
    string? GpuName,
    string LibStdCxxStatus);

/// <summary>Collects the runtime facts shown by <c>tunesharp doctor</c>.</summary>
public static class RuntimeEnvironment
{
    const string NeededVersion = "GLIBCXX_3.4.32";

    /// <summary>Loads libtorch (if not yet loaded) and reports versions, threads, CUDA and the libstdc++ fix.</summary>
    public static RuntimeReport Inspect()
    {
        var libtorch = torch.__version__; // forces the native backend to load
        bool cuda = torch.cuda.is_available();
        int count = cuda ? torch.cuda.device_count() : 0;
        string? gpu = cuda ? GpuName() : null;
        return new RuntimeReport(
            typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            libtorch,
            torch.get_num_threads(),
            cuda, count, gpu,
            LibStdCxxStatus());
    }

    // TorchSharp 0.107 exposes no device-name API; nvidia-smi is the portable fallback.
    static string? GpuName()
    {
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("nvidia-smi", "--query-gpu=name --format=csv,noheader")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = System.Diagnostics.Process.Start(psi);
            if (p == null) return "unknown (nvidia-smi not found)";
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            return text.Length > 0 ? text.Split('\n')[0].Trim() : "unknown";
        }
        catch (Exception) { return "unknown (nvidia-smi not found)"; }
    }

    /// <summary>
    /// Says whether the system libstdc++ provides GLIBCXX_3.4.32 and, if not, whether the loaded
    /// libLibTorchSharp.so has that requirement marked weak (the build's fix, see <see cref="ElfVersionNeeds"/>).
    /// </summary>
    public static string LibStdCxxStatus()
    {
        if (!OperatingSystem.IsLinux()) return "not applicable (not Linux)";
        var system = ElfVersionNeeds.SystemLibStdCxx();
        bool systemHas = system != null && ElfVersionNeeds.Defines(system, NeededVersion);
        if (systemHas) return $"not needed: {system} provides {NeededVersion}";
        var lib = FindLoadedLibTorchSharp();
        if (lib == null) return $"unknown: system lacks {NeededVersion} and libLibTorchSharp.so was not found";
        return ElfVersionNeeds.IsWeak(lib, NeededVersion) switch
        {
            true => $"in effect: {NeededVersion} marked weak in {lib}",
            false => $"MISSING: {lib} requires {NeededVersion}, which {system ?? "libstdc++"} lacks; rebuild with the repo's build",
            null => $"not needed: {lib} does not require {NeededVersion}",
        };
    }

    static string? FindLoadedLibTorchSharp()
    {
        // /proc/self/maps lists the exact file the loader mapped.
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int i = line.IndexOf('/');
                if (i >= 0 && line.EndsWith("libLibTorchSharp.so", StringComparison.Ordinal)) return line[i..];
            }
        }
        catch (IOException) { }
        return null;
    }
}
