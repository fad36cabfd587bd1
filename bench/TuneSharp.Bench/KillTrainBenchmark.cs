using TuneSharp.Hardening;

namespace TuneSharp.Bench;

/// <summary>
/// kill-train: <c>tunesharp train</c> killed with SIGKILL again and again (half of the kills inside checkpoint
/// writes), resumed each time; checks checkpoints, disk and bit-identical resume (docs/RELIABILITY.md).
/// </summary>
public static class KillTrainBenchmark
{
    public static int Run(string[] args)
    {
        int kills = Options.Int(args, "--kills", 50);
        int seed = Options.Int(args, "--seed", 1);
        int epochs = Options.Int(args, "--epochs", 6);
        string repo = Options.RepoRoot();
        string model = Options.String(args, "--model", null) ?? Path.Combine(repo, "..", "shared", "fixtures", "hf-tiny", "tiny-gpt2");
        string work = Path.Combine(Path.GetTempPath(), $"tunesharp-kill-train-{Environment.ProcessId}");
        var cli = Path.Combine(AppContext.BaseDirectory, "TuneSharp.Cli.dll");
        var report = new KillHarness(cli, work).Run(Path.GetFullPath(model), kills, seed, epochs);
        Console.WriteLine($"kills: {report.Kills} ({report.KillsDuringCheckpointWrite} inside a checkpoint write), steps: {report.Steps}, " +
            $"checkpoint loads checked: {report.CheckpointsChecked}, most folders in checkpoints/: {report.MostFoldersInCheckpoints}, " +
            $"{report.Elapsed.TotalSeconds:0} s");
        foreach (var f in report.Failures) Console.Error.WriteLine(f);
        Console.WriteLine(report.Failures.Count == 0 ? "losses and final weights equal the uninterrupted run, bit for bit" : $"{report.Failures.Count} failures");
        if (report.Failures.Count == 0) Directory.Delete(work, recursive: true);
        return report.Failures.Count == 0 ? 0 : 1;
    }
}
