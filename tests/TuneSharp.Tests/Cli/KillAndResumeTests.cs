using System.Diagnostics;
using TuneSharp.Hardening;

namespace TuneSharp.Tests.Cli;

/// <summary>
/// Resuming runs from the CLI. The kill -9 itself (many kills, some inside checkpoint writes, bit-identical resume)
/// is tested by Reliability/KillTrainTests with the harness that bench kill-train runs at scale.
/// </summary>
public sealed class KillAndResumeTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-kill-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    string Recipe(string name) => KillHarness.Recipe(dir, name, Fixtures.HfTiny("tiny-gpt2"), epochs: 2);

    static Process Start(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "TuneSharp.Cli.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cli);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    static void RunToEnd(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"tunesharp {string.Join(' ', args)} exited {p.ExitCode}: {stderr}\n{stdout.Result}");
    }

    [Fact]
    public void Starting_over_an_existing_run_without_resume_is_a_user_error()
    {
        RunToEnd("train", Recipe("again"), "training.epochs=1");
        using var p = Start("train", Recipe("again"));
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("--resume", stderr, StringComparison.Ordinal);
    }
}
