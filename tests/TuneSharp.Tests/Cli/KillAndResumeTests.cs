using System.Diagnostics;
using TuneSharp.Training;

namespace TuneSharp.Tests.Cli;

/// <summary>
/// A training run killed with SIGKILL between two steps, then resumed with --resume, must log the same
/// per-step losses as an uninterrupted run, bit for bit (CPU). Runs the real CLI in child processes.
/// tiny-gpt2 has dropout, so the resumed run must also restore the random generator exactly.
/// </summary>
public sealed class KillAndResumeTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-kill-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    string Recipe(string name)
    {
        var data = Path.Combine(dir, "text.jsonl");
        if (!File.Exists(data))
        {
            var rng = new Random(3);
            string[] words = ["model", "token", "train", "data", "loss", "step", "layer", "weight", "batch", "learn"];
            File.WriteAllLines(data, Enumerable.Range(0, 200).Select(_ =>
                "{\"text\": \"" + string.Join(' ', Enumerable.Range(0, 30).Select(_ => words[rng.Next(words.Length)])) + "\"}"));
        }
        var path = Path.Combine(dir, name + ".yaml");
        File.WriteAllText(path, $"""
            model: {Fixtures.HfTiny("tiny-gpt2")}
            task: causal-lm
            seed: 5
            device: cpu
            output_dir: {name}
            data:
              train: text.jsonl
              block_size: 128
            training:
              epochs: 2
              batch_size: 16
              learning_rate: 3e-3
              lr_scheduler: cosine
              warmup_steps: 2
              save_steps: 1
              save_total_limit: 3
              logging_steps: 1
            """);
        return path;
    }

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

    static List<(int Step, double Loss)> Losses(string run) =>
        MetricsLog.Read(Path.Combine(run, "metrics.jsonl"), "train").Where(e => e["event"] is null)
            .Select(e => ((int)e["step"]!, (double)e["loss"]!)).ToList();

    [Fact]
    public void Kill_9_mid_epoch_then_resume_gives_the_uninterrupted_losses_bit_for_bit()
    {
        RunToEnd("train", Recipe("full"));
        var expected = Losses(Path.Combine(dir, "full"));
        Assert.True(expected.Count >= 9, $"only {expected.Count} steps");

        var recipe = Recipe("killed");
        var run = Path.Combine(dir, "killed");
        using (var p = Start("train", recipe))
        {
            var metrics = Path.Combine(run, "metrics.jsonl");
            var deadline = DateTime.UtcNow.AddMinutes(3);
            // Wait until step 4 is logged (a checkpoint follows every step), then kill -9 wherever it is.
            while (!(File.Exists(metrics) && File.ReadAllText(metrics).Contains("\"step\":4,", StringComparison.Ordinal)))
            {
                if (p.HasExited) Assert.Fail("the run ended before it could be killed: " + p.StandardError.ReadToEnd());
                Assert.True(DateTime.UtcNow < deadline, "no progress");
                Thread.Sleep(20);
            }
            p.Kill(entireProcessTree: true); // SIGKILL on Linux
            p.WaitForExit();
        }
        var killedAt = new CheckpointStore(run).List().Last().Step;
        Assert.InRange(killedAt, 3, expected.Count - 1); // it really was mid-run

        RunToEnd("train", recipe, "--resume");
        var resumed = Losses(run);
        Assert.Equal(expected.Select(e => e.Step), resumed.Select(e => e.Step));
        for (int i = 0; i < expected.Count; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i].Loss) == BitConverter.DoubleToInt64Bits(resumed[i].Loss),
                $"step {expected[i].Step}: {expected[i].Loss:R} vs {resumed[i].Loss:R} (killed after step {killedAt})");
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
