using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace TuneSharp.Tests.Server;

/// <summary>The server's continuous batching seen from clients: outputs, disconnects, limits.</summary>
public class ContinuousBatchingServerTests
{
    // Prompts of very different lengths: the longest is read in several 8-token chunks while others decode.
    static string Prompt(int i) => i % 4 == 0
        ? string.Join(' ', Enumerable.Range(0, 4 + i / 2).Select(w => $"word{w}"))
        : $"Request {i} says" + new string('!', i % 5);

    static string Body(int i, bool stream) => new JsonObject
    {
        ["model"] = "tiny-llama", ["prompt"] = Prompt(i), ["temperature"] = 0, ["ignore_eos"] = true,
        ["max_tokens"] = 1 + (i * 7) % 23, ["n"] = i % 3 == 0 ? 2 : 1, ["stream"] = stream,
    }.ToJsonString();

    /// <summary>Each choice's text by index, from a whole or a streamed answer.</summary>
    static string[] Texts(string answer, bool stream)
    {
        if (!stream) return JsonNode.Parse(answer)!["choices"]!.AsArray().Select(c => (string)c!["text"]!).ToArray();
        var texts = new SortedDictionary<int, string>();
        foreach (var choice in ServerKit.Events(answer).SelectMany(e => e["choices"]!.AsArray()))
        {
            int index = (int)choice!["index"]!;
            texts[index] = (texts.GetValueOrDefault(index) ?? "") + (string)choice["text"]!;
        }
        return [.. texts.Values];
    }

    [Fact]
    public async Task Many_concurrent_mixed_length_requests_each_get_what_they_get_alone()
    {
        await using var server = await ServerKit.StartAsync(ServerKit.Llama, o => o with
        {
            BatchLimits = new() { MaxBatch = 16, PrefillChunk = 8, PrefillBudget = 24 },
        });
        using var http = ServerKit.Http(server);
        const int requests = 32;
        var alone = new List<string[]>();
        for (int i = 0; i < requests; i++)
        {
            var (status, _, text) = await ServerKit.PostAsync(http, "/v1/completions", Body(i, stream: false));
            Assert.True(status == 200, text);
            alone.Add(Texts(text, stream: false));
        }

        // All at once, half of them streamed: 32 requests (43 sequences) through 16 slots, joining and leaving.
        var together = await Task.WhenAll(Enumerable.Range(0, requests).Select(i => ServerKit.PostAsync(http, "/v1/completions", Body(i, stream: i % 2 == 1))));
        for (int i = 0; i < requests; i++)
        {
            Assert.True(together[i].Status == 200, $"request {i}: {together[i].Text}");
            Assert.Equal(alone[i], Texts(together[i].Text, stream: i % 2 == 1));
        }

        // And one request at a time, as the server decoded before continuous batching.
        await using var serial = await ServerKit.StartAsync(ServerKit.Llama, o => o with { Batching = "none" });
        using var serialHttp = ServerKit.Http(serial);
        foreach (int i in new[] { 0, 5, 12, 31 })
        {
            var (status, _, text) = await ServerKit.PostAsync(serialHttp, "/v1/completions", Body(i, stream: false));
            Assert.True(status == 200, text);
            Assert.Equal(alone[i], Texts(text, stream: false));
        }
    }

    [Fact]
    public async Task A_client_that_goes_away_frees_its_slot_at_once()
    {
        // The embedded base model, so that 500 tokens take long enough (seconds) to hang up in the middle.
        await using var server = await ServerKit.StartAsync(Path.Combine(Fixtures.RepoRoot, "models", "tunesharp-base"), o => o with { ModelId = "base" });
        var batcher = server.Context.Batcher!;
        // A handler that drains nothing: the default one reads up to 1 MB of an unread response to reuse the
        // connection, which for 500 short events means the client never hangs up at all.
        using var http = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerKit.ApiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent("""{"model": "base", "prompt": "Once", "max_tokens": 500, "temperature": 0, "ignore_eos": true, "stream": true}""", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());
        var clock = Stopwatch.StartNew();
        // The gauge is updated at the end of the iteration that sent the first token.
        while (server.Context.Queue.Running == 0 && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(1);
        Assert.Equal(1, server.Context.Queue.Running);
        response.Dispose(); // the client hangs up mid-stream
        clock.Restart();
        while (server.Context.Queue.Running > 0 && clock.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(2);
        Assert.Equal(0, server.Context.Queue.Running);
        Assert.True(batcher.GeneratedTokens < 500, $"the sequence ran to its end ({batcher.GeneratedTokens} tokens) instead of leaving when its client did");
        var (status, _, text) = await ServerKit.PostAsync(http, "/v1/completions", """{"model": "base", "prompt": "Once", "max_tokens": 2}""");
        Assert.True(status == 200, text);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("tunesharp_running_sequences 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_sequences_than_the_batch_holds_is_a_400_and_bad_limits_are_one_line()
    {
        await using var server = await ServerKit.StartAsync(ServerKit.Llama, o => o with { BatchLimits = new() { MaxBatch = 4 } });
        using var http = ServerKit.Http(server);
        foreach (bool stream in new[] { false, true })
        {
            var (status, body, text) = await ServerKit.PostAsync(http, "/v1/completions",
                $$"""{"model": "tiny-llama", "prompt": ["a", "b", "c"], "n": 2, "max_tokens": 2, "stream": {{(stream ? "true" : "false")}}}""");
            Assert.True(status == 400, text);
            Assert.Contains("--max-batch", (string)body!["error"]!["message"]!, StringComparison.Ordinal);
        }
        var bad = await Assert.ThrowsAsync<UserError>(() => ServerKit.StartAsync(ServerKit.Llama, o => o with { Batching = "dynamic" }));
        Assert.Contains("--batching", bad.Message, StringComparison.Ordinal);
        var chunk = await Assert.ThrowsAsync<UserError>(() => ServerKit.StartAsync(ServerKit.Llama, o => o with { BatchLimits = new() { PrefillChunk = 0 } }));
        Assert.Contains("--prefill-chunk", chunk.Message, StringComparison.Ordinal);
    }
}
