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
        if (Array.IndexOf(args, "--threads") is int t and >= 0) TorchSharp.torch.set_num_threads(int.Parse(args[t + 1], CultureInfo.InvariantCulture));
        Console.WriteLine($"model {model}, torch threads {TorchSharp.torch.get_num_threads()}, max_tokens {maxTokens} (ignore_eos), {perStream} requests per stream");
        Console.WriteLine("| batching | streams | requests | failed | wall | generated tokens/s | first token p50 / p99 | latency p50 / p99 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        int failures = 0;
        foreach (var mode in modes)
            foreach (int concurrency in concurrencies)
                failures += RunAsync(model, mode, Math.Max(16, perStream * concurrency), concurrency, maxTokens).GetAwaiter().GetResult();
        return failures == 0 ? 0 : 1;
    }

    static async Task<int> RunAsync(string model, string mode, int requests, int concurrency, int maxTokens)
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
        var failed = results.Count(r => r.Status != 200);
        var ok = results.Where(r => r.Status == 200).ToList();
        string Ms(IEnumerable<double> v, double p) => (Percentile(v, p) * 1000).ToString("N0", CultureInfo.InvariantCulture);
        Console.WriteLine(ok.Count == 0
            ? $"| {mode} | {concurrency} | {requests} | {failed} | {seconds:0.00} s | – | – | – |"
            : $"| {mode} | {concurrency} | {requests} | {failed} | {seconds:0.00} s | {ok.Count * maxTokens / seconds:N0} | "
              + $"{Ms(ok.Select(r => r.FirstToken), 50)} / {Ms(ok.Select(r => r.FirstToken), 99)} ms | {Ms(ok.Select(r => r.Total), 50)} / {Ms(ok.Select(r => r.Total), 99)} ms |");
        return failed;
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
