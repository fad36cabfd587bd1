using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using TuneSharp.Server;

namespace TuneSharp.Bench;

/// <summary>
/// Latency of `tunesharp serve` under concurrent load, on loopback: the server runs in-process on a free port,
/// a number of streaming chat requests (distinct prompts, greedy) are sent with a bounded concurrency, and the
/// time to first token and to the last byte are reported as p50/p99, with the generated tokens/s overall.
/// </summary>
internal static class ServeLoadBenchmark
{
    public static int Run(string[] args)
    {
        string model = Arg(args, "--model", Path.Combine("..", "shared", "fixtures", "hf-tiny", "tiny-llama"));
        int requests = int.Parse(Arg(args, "--requests", "64"), CultureInfo.InvariantCulture);
        int concurrency = int.Parse(Arg(args, "--concurrency", "64"), CultureInfo.InvariantCulture);
        int maxTokens = int.Parse(Arg(args, "--max-tokens", "16"), CultureInfo.InvariantCulture);
        if (Array.IndexOf(args, "--threads") is int t and >= 0) TorchSharp.torch.set_num_threads(int.Parse(args[t + 1], CultureInfo.InvariantCulture));
        return RunAsync(model, requests, concurrency, maxTokens).GetAwaiter().GetResult();
    }

    static async Task<int> RunAsync(string model, int requests, int concurrency, int maxTokens)
    {
        await using var server = await OpenAIServer.StartAsync(new ServeOptions { ModelDir = model, Port = 0, MaxQueue = Math.Max(concurrency, 1) });
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
        Console.WriteLine($"model {id}, torch threads {TorchSharp.torch.get_num_threads()}, {requests} streaming chat requests, concurrency {concurrency}, max_tokens {maxTokens}: "
            + $"{ok.Count} ok, {failed} failed, {seconds:0.00} s wall");
        if (ok.Count == 0) return 1;
        Console.WriteLine($"  latency      p50 {Percentile(ok.Select(r => r.Total), 50) * 1000:0} ms, p99 {Percentile(ok.Select(r => r.Total), 99) * 1000:0} ms");
        Console.WriteLine($"  first token  p50 {Percentile(ok.Select(r => r.FirstToken), 50) * 1000:0} ms, p99 {Percentile(ok.Select(r => r.FirstToken), 99) * 1000:0} ms");
        Console.WriteLine($"  throughput   {ok.Count * maxTokens / seconds:0} generated tokens/s (ignore_eos: max_tokens each), {ok.Count / seconds:0.0} requests/s");
        return failed == 0 ? 0 : 1;
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
