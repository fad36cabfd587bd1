using System.Diagnostics;
using System.Security.Cryptography;
using TuneSharp.IO;
using TuneSharp.Training;

namespace TuneSharp.Hardening;

/// <summary>
/// kill -9 during training: runs <c>tunesharp train</c> once uninterrupted, then again killed with SIGKILL at seeded
/// random moments (every other kill as soon as a checkpoint write has started) and resumed each time, until it
/// finishes. After every kill each checkpoint that exists must load and the checkpoints folder must stay bounded;
/// at the end the loss curve and the final weights must equal the uninterrupted run's bit for bit (CPU).
/// </summary>
public sealed class KillHarness(string cliDll, string workDir)
{
    /// <summary>What was survived and checked; <see cref="Failures"/> is empty when everything held.</summary>
    public sealed record Report(int Kills, int KillsDuringCheckpointWrite, int CheckpointsChecked, int MostFoldersInCheckpoints,
        int Steps, IReadOnlyList<string> Failures, TimeSpan Elapsed);

    /// <summary>Checkpoint folders kept (save_total_limit) in the harness recipe.</summary>
    public const int Keep = 2;

    /// <summary>Runs the harness: <paramref name="kills"/> kills (fewer if the run ends first).</summary>
    public Report Run(string modelDir, int kills, int seed, int epochs)
    {
        var clock = Stopwatch.StartNew();
        var failures = new List<string>();
        RunToEnd(failures, "train", Recipe(workDir, "reference", modelDir, epochs));
        var referenceRun = Path.Combine(workDir, "reference");

        var recipe = Recipe(workDir, "killed", modelDir, epochs);
        var run = Path.Combine(workDir, "killed");
        var store = new CheckpointStore(run);
        var rng = new Random(seed);
        int done = 0, duringWrite = 0, checkedCount = 0, mostFolders = 0;
        while (true)
        {
            bool resume = store.List().Count > 0;
            using var p = Start(resume ? ["train", recipe, "--resume"] : ["train", recipe]);
            var stderr = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            if (done < kills)
            {
                // Each life first makes progress (1 or 2 new checkpoints), so the kills spread over the whole run; then it dies
                // either the moment the next checkpoint write starts, or at a random moment up to 0.8 s later.
                bool atWrite = done % 2 == 1;
                bool killed = WaitForProgress(p, store, rng.Next(1, 3), TimeSpan.FromMinutes(3))
                    && (atWrite ? KillAtCheckpointWrite(p, store.Root, TimeSpan.FromSeconds(60)) : KillAfter(p, TimeSpan.FromMilliseconds(rng.Next(0, 800))));
                if (killed)
                {
                    done++;
                    if (atWrite) duringWrite++;
                    checkedCount += CheckCheckpoints(store, failures, $"after kill {done}");
                    mostFolders = Math.Max(mostFolders, Directory.Exists(store.Root) ? Directory.GetDirectories(store.Root).Length : 0);
                    continue;
                }
            }
            p.WaitForExit();
            if (p.ExitCode != 0) { failures.Add($"train exited {p.ExitCode}: {stderr.Result.Trim()}"); break; }
            break;
        }
        checkedCount += CheckCheckpoints(store, failures, "at the end");
        if (Directory.Exists(store.Root) && Directory.GetDirectories(store.Root, ".*").Length > 0)
            failures.Add("torn checkpoint writes left at the end: " + string.Join(", ", Directory.GetDirectories(store.Root, ".*").Select(Path.GetFileName)));
        int steps = Compare(referenceRun, run, failures);
        return new Report(done, duringWrite, checkedCount, mostFolders, steps, failures, clock.Elapsed);
    }

    // True once the run has saved <paramref name="checkpoints"/> more checkpoints; false if it ended first.
    static bool WaitForProgress(Process p, CheckpointStore store, int checkpoints, TimeSpan limit)
    {
        int start = store.List().LastOrDefault().Step;
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !p.HasExited)
        {
            if (store.List().LastOrDefault().Step >= start + checkpoints) return true;
            Thread.Sleep(5);
        }
        return false;
    }

    // Kills after a delay unless the process ended first; true when it was killed.
    static bool KillAfter(Process p, TimeSpan delay)
    {
        if (p.WaitForExit(delay)) return false;
        p.Kill(entireProcessTree: true); // SIGKILL on Linux
        p.WaitForExit();
        return true;
    }

    // Polls for a checkpoint temp folder (AtomicFolder's .step-N.tmp-*) and kills the moment one appears.
    static bool KillAtCheckpointWrite(Process p, string checkpoints, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !p.HasExited)
        {
            if (Directory.Exists(checkpoints) && Directory.GetDirectories(checkpoints, ".step-*.tmp-*").Length > 0)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                return true;
            }
            Thread.Sleep(1);
        }
        return false;
    }

    // Every checkpoint folder List() offers must open: weights, optimizer state and trainer state. The folder may
    // hold at most Keep checkpoints, the best one and one torn write of the step that was being saved.
    static int CheckCheckpoints(CheckpointStore store, List<string> failures, string when)
    {
        var all = store.List();
        foreach (var (step, dir) in all)
        {
            try
            {
                using (var file = SafetensorsFile.Open(Path.Combine(dir, "trainable.safetensors")))
                    foreach (var t in file.Tensors) file.Read(t.Name).Dispose();
                TrainerState.Read(Path.Combine(dir, "trainer_state.json"));
                if (new FileInfo(Path.Combine(dir, "optimizer.bin")).Length == 0) throw new InvalidDataException("optimizer.bin is empty");
            }
            catch (Exception e) { failures.Add($"{when}: checkpoint step {step} does not load: {e.Message}"); }
        }
        if (Directory.Exists(store.Root) && Directory.GetDirectories(store.Root).Length > Keep + 2)
            failures.Add($"{when}: {Directory.GetDirectories(store.Root).Length} folders in {store.Root}: " +
                string.Join(", ", Directory.GetDirectories(store.Root).Select(Path.GetFileName)));
        return all.Count;
    }

    // Returns the number of logged steps; records any difference in losses or final weights.
    static int Compare(string reference, string run, List<string> failures)
    {
        var expected = Losses(reference);
        var actual = Losses(run);
        if (expected.Count == 0) failures.Add("the reference run logged no loss");
        if (!expected.SequenceEqual(actual))
            failures.Add($"loss curves differ: {expected.Count} steps uninterrupted, {actual.Count} after the kills; first difference at " +
                $"{expected.Zip(actual).Select((x, i) => (x, i)).FirstOrDefault(z => z.x.First != z.x.Second).i}");
        var files = Directory.GetFiles(Path.Combine(reference, "model"), "*.safetensors").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        foreach (var name in files)
        {
            var other = Path.Combine(run, "model", name!);
            if (!File.Exists(other) || !SHA256.HashData(File.ReadAllBytes(Path.Combine(reference, "model", name!))).SequenceEqual(SHA256.HashData(File.ReadAllBytes(other))))
                failures.Add($"final weights differ: model/{name}");
        }
        if (Directory.GetDirectories(run, ".*").Length > 0)
            failures.Add("temp folders left in the run folder: " + string.Join(", ", Directory.GetDirectories(run, ".*").Select(Path.GetFileName)));
        return expected.Count;
    }

    // (step, loss bits) of every logged training step: equality of the bits is bit-identical resume.
    static List<(int, long)> Losses(string run) =>
        MetricsLog.Read(Path.Combine(run, "metrics.jsonl"), "train").Where(e => e["event"] is null && e["loss"] is not null)
            .Select(e => ((int)e["step"]!, BitConverter.DoubleToInt64Bits((double)e["loss"]!))).ToList();

    /// <summary>
    /// Writes <c>DIR/NAME.yaml</c>: causal LM training of <paramref name="modelDir"/> on 200 seeded lines of text
    /// (<c>DIR/text.jsonl</c>, written once) with a checkpoint after every step, so that much of the run is spent
    /// writing them and kills land inside writes. The run folder is <c>DIR/NAME</c>.
    /// </summary>
    public static string Recipe(string dir, string name, string modelDir, int epochs)
    {
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "text.jsonl");
        if (!File.Exists(data)) WriteData(data);
        var path = Path.Combine(dir, name + ".yaml");
        File.WriteAllText(path, $"""
            model: {modelDir}
            task: causal-lm
            seed: 5
            device: cpu
            output_dir: {name}
            data:
              train: text.jsonl
              block_size: 128
            training:
              epochs: {epochs}
              batch_size: 16
              learning_rate: 3e-3
              lr_scheduler: cosine
              warmup_steps: 2
              save_steps: 1
              save_total_limit: {Keep}
              logging_steps: 1
            """);
        return path;
    }

    static void WriteData(string path)
    {
        var rng = new Random(3);
        string[] words = ["model", "token", "train", "data", "loss", "step", "layer", "weight", "batch", "learn"];
        File.WriteAllLines(path, Enumerable.Range(0, 200).Select(_ =>
            "{\"text\": \"" + string.Join(' ', Enumerable.Range(0, 30).Select(_ => words[rng.Next(words.Length)])) + "\"}"));
    }

    Process Start(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workDir };
        psi.ArgumentList.Add(cliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    void RunToEnd(List<string> failures, params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) failures.Add($"tunesharp {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Trim()} {stdout.Result}");
    }
}
