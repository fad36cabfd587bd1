using TuneSharp.Hardening;

namespace TuneSharp.Bench;

/// <summary>
/// fuzz-files: seeded mutations of every loader's input (docs/RELIABILITY.md). Each input must load or fail with one
/// UserError line; failures are printed with their seed and kept under the work folder's reproducers/.
/// </summary>
public static class FuzzFilesBenchmark
{
    public static int Run(string[] args)
    {
        int count = Options.Int(args, "--count", 2000);
        int seed = Options.Int(args, "--seed", 1);
        var only = Options.String(args, "--target", null);
        string repo = Options.RepoRoot();
        string fixtures = Path.Combine(repo, "..", "shared", "fixtures");
        string work = Path.Combine(Path.GetTempPath(), $"tunesharp-fuzz-{Environment.ProcessId}");
        if (Options.String(args, "--load", null) is { } replay)
        {
            // Replays a kept reproducer folder on this thread (for a debugger or a profiler).
            var t = FuzzTargets.Get(only ?? throw new ArgumentException("--load needs --target"), fixtures, repo, Path.Combine(work, "seeds"));
            t.Load(replay);
            Console.WriteLine("loaded");
            return 0;
        }
        var fuzzer = new FileFuzzer(work);
        int failed = 0;
        Console.WriteLine($"| format | inputs | loaded | rejected (UserError) | failures | seconds |");
        Console.WriteLine($"|---|---:|---:|---:|---:|---:|");
        foreach (var name in FuzzTargets.Names.Where(n => only is null || n == only))
        {
            var target = FuzzTargets.Get(name, fixtures, repo, Path.Combine(work, "seeds"));
            // The ONNX graph is 90 MB: each input costs about a second, so it gets a tenth of the count.
            int n = name == "model.onnx" ? Math.Max(1, count / 10) : count;
            var report = fuzzer.Run(target, n, seed, line => Console.Error.WriteLine(line));
            failed += report.Failures.Count;
            Console.WriteLine($"| {name} | {report.Inputs} | {report.Loaded} | {report.Rejected} | {report.Failures.Count} | {report.Elapsed.TotalSeconds:0.0} |");
        }
        Console.Error.WriteLine(failed == 0 ? "no failures" : $"{failed} failures; reproducers under {Path.Combine(work, "reproducers")}");
        return failed == 0 ? 0 : 1;
    }
}
