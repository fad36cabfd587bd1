using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TuneSharp.Server;

namespace TuneSharp.Bench;

/// <summary>
/// Throughput and latency of `tunesharp serve` under concurrent load, on loopback: for each batching mode
/// (`--batching`, default both: none = one request at a time, continuous = one running batch joined and left at every
/// step) and each concurrency (`--concurrency 1,4,16,64`), the server runs in-process on a free port and
/// `--requests-per-stream` × concurrency streaming chat requests (at least 16) (distinct prompts, greedy, `max_tokens` generated
/// each with ignore_eos) are sent with that many in flight. Reports aggregate generated tokens/s and p50/p99 of the
/// time to first token and to the last byte, as a markdown table.
/// </summary>
internal static class ServeLoadBenchmark
{
    public static int Run(string[] args)
    {
        string model = Arg(args, "--model", Path.Combine("..", "shared", "fixtures", "hf-tiny", "tiny-llama"));
        int perStream = int.Parse(Arg(args, "--requests-per-stream", "2"), CultureInfo.InvariantCulture);
        var concurrencies = Arg(args, "--concurrency", "1,4,16,64").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToList();
        var modes = Arg(args, "--batching", "none,continuous").Split(',');
        int maxTokens = int.Parse(Arg(args, "--max-tokens", "32"), CultureInfo.InvariantCulture);
        int rounds = int.Parse(Arg(args, "--rounds", "1"), CultureInfo.InvariantCulture);
        if (Array.IndexOf(args, "--threads") is int t and >= 0) TorchSharp.torch.set_num_threads(int.Parse(args[t + 1], CultureInfo.InvariantCulture));
        Console.WriteLine($"model {model}, torch threads {TorchSharp.torch.get_num_threads()}, max_tokens {maxTokens} (ignore_eos), "
            + $"{perStream} requests per stream (at least 16), {rounds} round(s): each cell is the median over the rounds");
        // Rounds repeat the whole sweep, so that a burst of load on a shared machine hits every cell alike.
        var cells = new Dictionary<(string, int), List<Cell>>();
        int failures = 0;
        for (int round = 0; round < rounds; round++)
            foreach (var mode in modes)
                foreach (int concurrency in concurrencies)
                {
                    var cell = RunAsync(model, mode, Math.Max(16, perStream * concurrency), concurrency, maxTokens).GetAwaiter().GetResult();
                    failures += cell.Failed;
                    (cells.TryGetValue((mode, concurrency), out var list) ? list : cells[(mode, concurrency)] = []).Add(cell);
                }
        Console.WriteLine("| batching | streams | requests | failed | generated tokens/s | first token p50 / p99 | latency p50 / p99 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var ((mode, concurrency), list) in cells)
        {
            static double Median(IEnumerable<double> v) { var s = v.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
            string Ms(Func<Cell, double> f) => (Median(list.Select(f)) * 1000).ToString("N0", CultureInfo.InvariantCulture);
            Console.WriteLine($"| {mode} | {concurrency} | {list[0].Requests} | {list.Sum(c => c.Failed)} | {Median(list.Select(c => c.TokensPerSecond)):N0} | "
                + $"{Ms(c => c.FirstP50)} / {Ms(c => c.FirstP99)} ms | {Ms(c => c.TotalP50)} / {Ms(c => c.TotalP99)} ms |");
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>One sweep cell: requests sent, failures, aggregate generated tokens/s, and percentiles in seconds.</summary>
    sealed record Cell(int Requests, int Failed, double TokensPerSecond, double FirstP50, double FirstP99, double TotalP50, double TotalP99);

    static async Task<Cell> RunAsync(string model, string mode, int requests, int concurrency, int maxTokens)
    {
        await using var server = await OpenAIServer.StartAsync(new ServeOptions
        {
            ModelDir = model, Port = 0, MaxQueue = Math.Max(concurrency, 1), Batching = mode,
            BatchLimits = new() { MaxBatch = Math.Max(concurrency, 1) },
        });
        var id = server.Context.Model.Id;
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        using var gate = new SemaphoreSlim(concurrency);
        await SendAsync(http, id, -1, maxTokens); // warm-up
        var wall = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            await gate.WaitAsync();
            try { return await SendAsync(http, id, i, maxTokens); }
            finally { gate.Release(); }
        }));
        double seconds = wall.Elapsed.TotalSeconds;
        var ok = results.Where(r => r.Status == 200).ToList();
        if (ok.Count == 0) return new Cell(requests, requests, 0, 0, 0, 0, 0);
        return new Cell(requests, requests - ok.Count, ok.Count * maxTokens / seconds,
            Percentile(ok.Select(r => r.FirstToken), 50), Percentile(ok.Select(r => r.FirstToken), 99),
            Percentile(ok.Select(r => r.Total), 50), Percentile(ok.Select(r => r.Total), 99));
    }

    sealed record Result(int Status, double FirstToken, double Total, int Chunks);

    static async Task<Result> SendAsync(HttpClient http, string model, int i, int maxTokens)
    {
        var body = new JsonObject
        {
            ["model"] = model, ["temperature"] = 0, ["max_tokens"] = maxTokens, ["stream"] = true, ["ignore_eos"] = true,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"Request {i}: say something." }),
        }.ToJsonString();
        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) return new Result((int)response.StatusCode, 0, clock.Elapsed.TotalSeconds, 0);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double first = 0;
        int chunks = 0;
        for (string? line; (line = await reader.ReadLineAsync()) is not null;)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]") continue;
            if (JsonNode.Parse(line[6..])!["choices"]?[0]?["delta"]?["content"] is { } c && ((string)c!).Length > 0)
            {
                if (chunks++ == 0) first = clock.Elapsed.TotalSeconds;
            }
        }
        return new Result(200, first, clock.Elapsed.TotalSeconds, chunks);
    }

    static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        int rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
