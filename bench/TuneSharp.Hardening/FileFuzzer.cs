using System.Diagnostics;

namespace TuneSharp.Hardening;

/// <summary>
/// Runs seeded mutations of each target's file through its loader. Input i of a target uses seed
/// <c>baseSeed + i</c>, so a failure replays alone with <see cref="RunOne"/>. A failing input's folder is copied
/// under <c>reproducers/</c> for a regression test.
/// </summary>
public sealed class FileFuzzer(string workDir)
{
    /// <summary>
    /// Managed allocation allowed per input beyond a multiple of the file size: a header that claims a terabyte must
    /// fail before anything of that size is allocated, not after.
    /// </summary>
    public const long AllocationSlack = 256L << 20;
    const int AllocationPerFileByte = 64;

    /// <summary>Counts per outcome, and the failures.</summary>
    public sealed record Report(string Target, int Inputs, int Loaded, int Rejected, IReadOnlyList<FuzzFailure> Failures, TimeSpan Elapsed);

    /// <summary>Fuzzes <paramref name="target"/> with <paramref name="count"/> inputs.</summary>
    public Report Run(FuzzTarget target, int count, int baseSeed, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        int loaded = 0, rejected = 0;
        var failures = new List<FuzzFailure>();
        for (int i = 0; i < count; i++)
        {
            var (outcome, failure) = RunOne(target, baseSeed + i);
            if (outcome == FuzzOutcome.Loaded) loaded++;
            else if (outcome == FuzzOutcome.Rejected) rejected++;
            else if (failure is not null)
            {
                failures.Add(failure);
                log?.Invoke($"{target.Name} seed {failure.Seed} ({failure.Mutation}): {failure.Problem}");
                // A hung input still runs on its thread: stop before hangs pile up.
                if (failure.Problem.StartsWith("hang", StringComparison.Ordinal)) break;
            }
        }
        return new Report(target.Name, loaded + rejected + failures.Count, loaded, rejected, failures, clock.Elapsed);
    }

    /// <summary>One input: the seed folder with the target file mutated by <paramref name="seed"/>.</summary>
    public (FuzzOutcome, FuzzFailure?) RunOne(FuzzTarget target, int seed)
    {
        var original = System.IO.File.ReadAllBytes(Path.Combine(target.SeedDir, target.File));
        var (bytes, mutation) = Mutator.Mutate(original, new Random(seed));
        var dir = Path.Combine(workDir, $"{target.Name}-{seed}");
        CopyFolder(target.SeedDir, dir);
        System.IO.File.WriteAllBytes(Path.Combine(dir, target.File), bytes);
        try
        {
            var (loaded, problem) = Check(target, dir, bytes.Length);
            if (problem is null) return (loaded ? FuzzOutcome.Loaded : FuzzOutcome.Rejected, null);
            var keep = Path.Combine(workDir, "reproducers", $"{target.Name}-{seed}");
            CopyFolder(dir, keep);
            return (FuzzOutcome.Failed, new FuzzFailure(target.Name, seed, mutation, problem, keep));
        }
        finally { TryDelete(dir); }
    }

    // Problem is null when the input loaded or was rejected with one clear line; otherwise it says what went wrong.
    static (bool Loaded, string? Problem) Check(FuzzTarget target, string dir, long fileBytes)
    {
        Exception? error = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { target.Load(dir); }
            catch (Exception e) { error = e; }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }) { IsBackground = true }; // the default stack, as a request or CLI thread has: deep nesting must not overflow it

        thread.Start();
        if (!thread.Join(target.TimeLimit)) return (false, $"hang: still running after {target.TimeLimit.TotalSeconds:0} s");
        long limit = AllocationSlack + AllocationPerFileByte * fileBytes;
        if (allocated > limit) return (false, $"allocated {allocated >> 20} MB for a {fileBytes}-byte file ({error?.GetType().Name ?? "loaded"})");
        return error switch
        {
            null => (true, null),
            UserError u when u.Message.Contains('\n', StringComparison.Ordinal) => (false, $"UserError over several lines: {u.Message}"),
            UserError => (false, null),
            _ => (false, $"{error.GetType().FullName}: {error.Message.Split('\n')[0]}{Environment.NewLine}{error.StackTrace}"),
        };
    }

    static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            System.IO.File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
    }

    static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
