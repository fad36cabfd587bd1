using TuneSharp.Hardening;
using TuneSharp.Server;

namespace TuneSharp.Bench;

/// <summary>
/// serve-abuse: hostile load on a server started in this process on 127.0.0.1 (docs/RELIABILITY.md): malformed
/// requests interleaved with valid ones, then concurrent streams with random disconnects. Exit 1 on any 5xx,
/// wrong answer or lost server.
/// </summary>
public static class ServeAbuseBenchmark
{
    public static int Run(string[] args)
    {
        int count = Options.Int(args, "--requests", 10_000);
        int seed = Options.Int(args, "--seed", 1);
        int concurrency = Options.Int(args, "--concurrency", 16);
        int streams = Options.Int(args, "--streams", 64);
        string model = Options.String(args, "--model", null) ?? Path.Combine(Options.RepoRoot(), "..", "shared", "fixtures", "hf-tiny", "tiny-llama");
        const string key = "bench-key";
        var options = new ServeOptions { ModelDir = model, Port = 0, ApiKey = key, Threads = 1, Timeout = TimeSpan.FromSeconds(30), MaxQueue = 256 };
        return Run(options, count, seed, concurrency, streams).GetAwaiter().GetResult();
    }

    static async Task<int> Run(ServeOptions options, int count, int seed, int concurrency, int streams)
    {
        await using var server = await OpenAIServer.StartAsync(options);
        var abuse = new ServerAbuse(server.BaseAddress, options.ApiKey!, server.Context.Model.Id, options.MaxBodyBytes);
        var report = await abuse.RunAsync(count, seed, concurrency);
        Console.WriteLine($"requests: {report.Requests} ({report.Valid} valid) in {report.Elapsed.TotalSeconds:0.0} s, concurrency {concurrency}");
        Console.WriteLine($"5xx: {report.ServerErrors}; RSS {report.RssBeforeMb} -> {report.RssAfterMb} MB, managed heap after a full GC {report.HeapBeforeMb} -> {report.HeapAfterMb} MB");
        Console.WriteLine("| kind | status | count |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (kindStatus, n) in report.Statuses)
        {
            int space = kindStatus.LastIndexOf(' ');
            Console.WriteLine($"| {kindStatus[..space]} | {kindStatus[(space + 1)..]} | {n} |");
        }
        var streamFailures = await abuse.ConcurrentStreamsAsync(streams, seed);
        Console.WriteLine($"{streams} concurrent streams (half hang up): {streamFailures.Count} failures");
        // Kestrel drops a body slower than 240 bytes/s after a 5 s grace period; the stalls must not hold the server.
        var stallFailures = await abuse.StallsAsync(16, seed, TimeSpan.FromSeconds(40));
        Console.WriteLine($"16 stalled bodies beside a valid request: {stallFailures.Count} failures");
        var all = report.Failures.Concat(streamFailures).Concat(stallFailures).ToList();
        foreach (var f in all) Console.Error.WriteLine(f);
        return all.Count == 0 ? 0 : 1;
    }
}
