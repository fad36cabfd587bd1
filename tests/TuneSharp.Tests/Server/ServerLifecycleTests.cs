using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using TuneSharp.Models;
using TuneSharp.Inference;
using TuneSharp.Models.Heads;
using TuneSharp.Tokenization;

namespace TuneSharp.Tests.Server;

/// <summary>Load, back-pressure, graceful shutdown and the classifier route, each on a server of its own.</summary>
public class ServerLifecycleTests
{
    static string StreamingChat(int i, int maxTokens) => new JsonObject
    {
        ["model"] = "tiny-llama", ["temperature"] = 0, ["max_tokens"] = maxTokens, ["stream"] = true,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"Question number {i}: count to {i * 7}." }),
    }.ToJsonString();

    static string StreamedText(string sse) => string.Concat(ServerKit.Events(sse)
        .SelectMany(e => e["choices"]!.AsArray())
        .Select(c => c!["delta"]!["content"] is { } t ? (string)t! : ""));

    [Fact]
    public async Task Concurrent_streams_all_answer_their_own_prompt_and_a_burst_gets_429s_without_500s()
    {
        // 8 sequences decode together and 64 may wait: the 64 streams fit, a burst of 200 cannot (72 at most in flight).
        await using var server = await ServerKit.StartAsync(ServerKit.Llama, o => o with { MaxQueue = 64, BatchLimits = new() { MaxBatch = 8 } });
        var tokenizer = HfTokenizer.Load(ServerKit.Llama);
        using var model = Pretrained.LoadCausalLM(ServerKit.Llama);
        using var http = ServerKit.Http(server);
        const int streams = 64;
        var expected = Enumerable.Range(0, streams)
            .Select(i => ServerKit.Greedy(model, tokenizer, ServerKit.ChatPrompt(tokenizer, $"Question number {i}: count to {i * 7}."), 8)).ToArray();

        // 64 concurrent streams fit (8 decode, 56 wait): every one succeeds with its own answer.
        var results = await Task.WhenAll(Enumerable.Range(0, streams).Select(i => ServerKit.PostAsync(http, "/v1/chat/completions", StreamingChat(i, 8))));
        for (int i = 0; i < streams; i++)
        {
            Assert.True(results[i].Status == 200, $"request {i}: {results[i].Status} {results[i].Text}");
            Assert.Equal(expected[i], StreamedText(results[i].Text));
        }

        // A burst of 200 requests overflows the batch and the 64-slot queue: some 429s, the rest answered, never a 500.
        var burst = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => ServerKit.PostAsync(http, "/v1/chat/completions", StreamingChat(i % streams, 8))));
        var statuses = burst.Select(b => b.Status).ToList();
        Assert.Contains(429, statuses);
        Assert.Contains(200, statuses);
        Assert.All(statuses, s => Assert.True(s is 200 or 429, $"unexpected status {s}"));
        for (int i = 0; i < burst.Length; i++)
            if (burst[i].Status == 200) Assert.Equal(expected[i % streams], StreamedText(burst[i].Text));
            else Assert.Equal("rate_limit_error", (string)burst[i].Body!["error"]!["type"]!);
        Assert.Equal("ok", (string)JsonNode.Parse(await http.GetStringAsync("/health"))!["status"]!);
    }

    [Fact]
    public async Task Stopping_drains_in_flight_requests()
    {
        var server = await ServerKit.StartAsync(ServerKit.Llama);
        using var http = ServerKit.Http(server);
        var pending = Enumerable.Range(0, 4).Select(i => ServerKit.PostAsync(http, "/v1/completions",
            $$"""{"model": "tiny-llama", "prompt": "Story {{i}}:", "max_tokens": 100, "temperature": 0, "ignore_eos": true}""")).ToList();
        var clock = Stopwatch.StartNew();
        while (!server.Context.Queue.Busy && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(5);
        Assert.True(server.Context.Queue.Busy, "no request reached the model");
        await server.StopAsync();
        foreach (var response in await Task.WhenAll(pending))
            Assert.True(response.Status == 200, $"{response.Status}: {response.Text}");
    }

    [Fact]
    public async Task A_request_past_its_timeout_is_408()
    {
        await using var server = await ServerKit.StartAsync(ServerKit.Llama, o => o with { Timeout = TimeSpan.FromMilliseconds(1) });
        using var http = ServerKit.Http(server);
        var (status, body, text) = await ServerKit.PostAsync(http, "/v1/completions",
            """{"model": "tiny-llama", "prompt": "Once", "max_tokens": 100, "temperature": 0}""");
        Assert.True(status == 408, $"{status}: {text}");
        Assert.Equal("timeout_error", (string)body!["error"]!["type"]!);
    }

    [Fact]
    public async Task Classifier_folders_answer_classify_with_label_probabilities()
    {
        var dir = Fixtures.HfTiny("tiny-bert-cls");
        await using var server = await ServerKit.StartAsync(dir);
        using var http = ServerKit.Http(server);
        string[] texts = ["A tiny model", "Return the number of items in a container."];
        var (status, body, text) = await ServerKit.PostAsync(http, "/v1/classify",
            new JsonObject { ["model"] = "tiny-bert-cls", ["input"] = new JsonArray(texts.Select(t => (JsonNode)t).ToArray()) }.ToJsonString());
        Assert.True(status == 200, text);
        using var classifier = ClassifierLoader.Load(dir);
        var expected = classifier.Classify(texts.Select(t => (IReadOnlyList<int>)classifier.Tokenizer.Encode(t)).ToList());
        var data = body!["data"]!.AsArray();
        for (int i = 0; i < texts.Length; i++)
        {
            var probs = data[i]!["probs"]!.AsObject();
            Assert.Equal(["LABEL_0", "LABEL_1", "LABEL_2"], probs.Select(p => p.Key).ToArray());
            Assert.Equal(1.0, probs.Sum(p => (double)p.Value!), 6);
            for (int k = 0; k < 3; k++) Assert.Equal(expected[i][k], (double)probs[$"LABEL_{k}"]!, 6);
            Assert.Equal($"LABEL_{Array.IndexOf(expected[i], expected[i].Max())}", (string)data[i]!["label"]!);
        }
        var chat = await ServerKit.PostAsync(http, "/v1/chat/completions",
            """{"model": "tiny-bert-cls", "messages": [{"role": "user", "content": "hi"}]}""");
        Assert.Equal(400, chat.Status);
        Assert.Contains("/v1/classify", (string)chat.Body!["error"]!["message"]!, StringComparison.Ordinal);
    }
}
