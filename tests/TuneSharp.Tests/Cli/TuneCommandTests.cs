using System.Diagnostics;
using TuneSharp.Cli.Commands;
using TuneSharp.Recipes;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tuning;
using TuneSharp.Tuning.Storage;

namespace TuneSharp.Tests.Cli;

/// <summary>
/// <c>tunesharp tune</c> end to end on the repository's spam LoRA search, pointed at tiny-llama with a few steps per
/// trial: TPE + ASHA trials, the report, charts and a best recipe that loads; `tune report` on the stored study;
/// and a study killed with SIGKILL mid-trial that the same command resumes.
/// </summary>
public sealed class TuneCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-tune-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    static string Data(string split) => Path.Combine(Fixtures.RepoRoot, "data", "spam-assassin-sample", split + ".jsonl");

    string Search(int trials, int maxSteps)
    {
        var path = Path.Combine(dir, "tiny.search.yaml");
        File.WriteAllText(path, $"""
            recipe: {Path.Combine(Fixtures.RepoRoot, "recipes", "sequence-classification", "tunesharp-base_lora_cpu.yaml")}
            study: tiny
            trials: {trials}
            sampler: {"{"}name: tpe, seed: 1, n_startup_trials: 2{"}"}
            pruner: {"{"}name: asha, min_resource: 2, reduction_factor: 2{"}"}
            fixed:
              model: {TaskTestKit.Llama}
              device: cpu
              data.train: {Data("train")}
              data.validation: {Data("validation")}
              data.test: {Data("test")}
              data.max_length: 32
              data.limit: 48
              training.max_steps: {maxSteps}
              training.batch_size: 8
              evaluation.eval_steps: 2
            params:
              training.learning_rate: {"{"}type: float, low: 1.0e-4, high: 1.0e-1, log: true{"}"}
              method.lora.r: {"{"}type: int, low: 2, high: 8, step: 2, when: {"{"}method.type: lora{"}"}{"}"}
              training.warmup_ratio: {"{"}type: float, low: 0.0, high: 0.3{"}"}
            """);
        return path;
    }

    [Fact]
    public void A_study_runs_prunes_and_writes_report_charts_and_a_best_recipe_that_loads_then_tune_report_reads_it_back()
    {
        var runs = Path.Combine(dir, "runs");
        var r = CliHarness.Run(TuneCommand.Create(), "tune", Search(trials: 6, maxSteps: 6), "--runs-dir", runs);
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        Assert.Contains("trial 5 ", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("best recipe: ", r.Stdout, StringComparison.Ordinal);
        var studyDir = Path.Combine(runs, "tiny");
        foreach (var f in new[] { "study.db", "report.md", "best.yaml", "history.png", "intermediate.png", "slices.png" })
            Assert.True(File.Exists(Path.Combine(studyDir, f)), f);

        using (var storage = new SqliteStudyStorage(Path.Combine(studyDir, "study.db")))
        {
            var trials = storage.Trials(storage.FindStudy("tiny")!.Id);
            Assert.Equal(Enumerable.Range(0, 6), trials.Select(t => t.Number));
            Assert.All(trials, t => Assert.True(t.State is TrialState.Complete or TrialState.Pruned, $"trial {t.Number}: {t.State} {t.Attrs.ToJsonString()}"));
            Assert.All(trials, t => Assert.NotEmpty(t.Intermediate));
            var best = BestRecipe.Best(trials, maximize: true)!;
            // The best recipe is the search's recipe with the fixed keys and the best values, and it loads as is.
            var recipe = RecipeLoader.Load(Path.Combine(studyDir, "best.yaml"));
            Assert.Equal(best.Params!["training.learning_rate"]!.GetValue<double>(), recipe.Training().LearningRate);
            Assert.Equal(6, recipe.Training().MaxSteps);
            Assert.Equal(Path.GetFullPath(TaskTestKit.Llama), recipe.Model);
            Assert.Equal(Path.Combine(studyDir, "best-run"), recipe.OutputDir);
        }

        // Running the finished study again adds nothing; tune report prints its table and rewrites its files.
        var again = CliHarness.Run(TuneCommand.Create(), "tune", Search(trials: 6, maxSteps: 6), "--runs-dir", runs);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.DoesNotContain("started", again.Stdout, StringComparison.Ordinal);
        File.Delete(Path.Combine(studyDir, "history.png"));
        var report = CliHarness.Run(TuneCommand.Create(), "tune", "report", "--study", "tiny", "--runs-dir", runs);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.StartsWith("trial  state", report.Stdout, StringComparison.Ordinal);
        Assert.Contains("trials: 6 (", report.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(studyDir, "history.png")));

        var missing = CliHarness.Run(TuneCommand.Create(), "tune", "report", "--study", "nope", "--runs-dir", runs);
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("error: ", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_study_killed_with_sigkill_mid_trial_resumes_when_the_command_runs_again()
    {
        var search = Search(trials: 2, maxSteps: 40);
        var runs = Path.Combine(dir, "runs");
        string[] args = ["tune", search, "--runs-dir", runs, "--pruner", "none"];
        var db = Path.Combine(runs, "tiny", "study.db");
        using (var p = Start(args))
        {
            var output = Task.WhenAll(p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
            // Kill it while trial 1 is running, after at least one of its evaluations is stored. The loop also ends when
            // the process does; the long limit only guards a hang (trial 0 alone took over 2 minutes on a loaded 2-core VM).
            var clock = Stopwatch.StartNew();
            bool running = false;
            while (!running && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(50);
                if (!File.Exists(db)) continue;
                using var peek = new SqliteStudyStorage(db);
                running = peek.FindStudy("tiny") is { } s && peek.Trials(s.Id).Any(t => t.Number == 1 && t.State == TrialState.Running && t.Intermediate.Count > 0);
            }
            p.Kill();
            await p.WaitForExitAsync();
            Assert.True(running, "trial 1 was never seen running: " + string.Join('\n', await output));
        }
        using (var storage = new SqliteStudyStorage(db))
        {
            var one = storage.Trials(storage.FindStudy("tiny")!.Id).Single(t => t.Number == 1);
            Assert.True(one.State == TrialState.Running, $"{one.State} {one.Attrs.ToJsonString()} {one.Intermediate.Count} evaluations");
        }

        using (var p = Start(args))
        {
            var stdoutTask = p.StandardOutput.ReadToEndAsync();
            var stderr = await p.StandardError.ReadToEndAsync();
            var stdout = await stdoutTask;
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, stderr + stdout);
            Assert.Contains("trial 1 started (retry 2)", stdout, StringComparison.Ordinal);
        }
        using (var storage = new SqliteStudyStorage(db))
        {
            var trials = storage.Trials(storage.FindStudy("tiny")!.Id);
            Assert.Equal(Enumerable.Range(0, 2), trials.Select(t => t.Number));
            Assert.All(trials, t => Assert.True(t.IsFinished));
            Assert.Equal(2, trials.Single(t => t.Number == 1).Attempts);
        }
    }

    static Process Start(string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TuneSharp.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }
}
