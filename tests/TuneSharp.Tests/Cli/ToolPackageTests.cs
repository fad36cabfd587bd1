using System.Diagnostics;

namespace TuneSharp.Tests.Cli;

/// <summary>
/// The packed `tunesharp` .NET tool, installed from its local package, through scripts/check-tool-package.sh (pack,
/// install into a temp tool path, `--help`, `doctor`). Packing takes minutes, so the test runs only with
/// TUNESHARP_TEST_TOOL_PACKAGE=1 (.ci/run sets it); without it it fails under CI=true and skips by hand.
/// </summary>
public sealed class ToolPackageTests
{
    const string Variable = "TUNESHARP_TEST_TOOL_PACKAGE";

    [SkippableFact]
    public void The_installed_tool_names_itself_tunesharp_and_doctor_loads_libtorch()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                Assert.Fail($"{Variable} is not 1, but CI=true: .ci/run must set it so that the tool package is tested");
            Skip.If(true, $"{Variable} is not 1: set it (or run scripts/check-tool-package.sh) to pack, install and run the tool");
        }
        var start = new ProcessStartInfo("bash", [Path.Combine(Fixtures.RepoRoot, "scripts", "check-tool-package.sh")])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Fixtures.RepoRoot,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(15)), "the tool check did not finish in 15 minutes");

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr.Result}");
        Assert.Contains("Usage:\n  tunesharp [command] [options]", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("TuneSharp.Cli [command]", stdout, StringComparison.Ordinal);
        Assert.Contains("libtorch        2.10", stdout, StringComparison.Ordinal);
        Assert.Contains("libstdc++ fix", stdout, StringComparison.Ordinal);
        Assert.Contains("ok: tool package", stdout, StringComparison.Ordinal);
    }
}
