using TuneSharp.Hardening;

namespace TuneSharp.Tests.Reliability;

/// <summary>
/// The short, fixed-seed version of <c>bench kill-train</c>: <c>tunesharp train</c> (real CLI, child processes)
/// killed with SIGKILL four times, twice the moment a checkpoint write starts, and resumed each time. Every
/// checkpoint that exists must load, the checkpoints folder must stay bounded and end without torn writes
/// (AtomicFolder used to leave one per kill), and the loss curve and final weights must equal the uninterrupted run.
/// </summary>
public sealed class KillTrainTests : IDisposable
{
    readonly string work = Path.Combine(Path.GetTempPath(), $"tunesharp-kill-train-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void Killed_four_times_the_run_resumes_bit_identically_and_keeps_every_checkpoint_loadable()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "TuneSharp.Cli.dll");
        var report = new KillHarness(cli, work).Run(Fixtures.HfTiny("tiny-gpt2"), kills: 4, seed: 1, epochs: 2);
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        Assert.Equal(4, report.Kills);
        Assert.Equal(2, report.KillsDuringCheckpointWrite);
        Assert.True(report.Steps >= 9, $"only {report.Steps} steps");
        Assert.InRange(report.MostFoldersInCheckpoints, 0, KillHarness.Keep + 2);
    }
}
