using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace TuneSharp.Hardening;

/// <summary>
/// Hostile load on a running server: <see cref="HostileRequests"/> interleaved with valid greedy chat requests
/// (every fifth) whose answer must equal the reference, plus clients that stall mid-body or hang up mid-stream,
/// then concurrent streams with random disconnects. Counts every status; a 5xx, a valid request answered wrongly,
/// or a server that stops answering is a failure.
/// </summary>
public sealed class ServerAbuse(Uri server, string apiKey, string model, long maxBodyBytes)
{
    /// <summary>
    /// The outcome: statuses by request kind, failures (at most 20 kept), and this process's memory (the server runs
    /// in it) before and after: resident set, and the managed heap after a full collection.
    /// </summary>
    public sealed record Report(int Requests, int Valid, int ServerErrors, IReadOnlyDictionary<string, int> Statuses,
        IReadOnlyList<string> Failures, long RssBeforeMb, long RssAfterMb, long HeapBeforeMb, long HeapAfterMb, TimeSpan Elapsed);

    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    byte[] Chat(bool stream) => RawHttp.Request("POST", "/v1/chat/completions", Encoding.UTF8.GetBytes(new JsonObject
    {
        ["model"] = model, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Say something." }),
        ["max_tokens"] = 4, ["temperature"] = 0, ["stream"] = stream,
    }.ToJsonString()), apiKey);

    /// <summary>Sends <paramref name="count"/> requests from <paramref name="concurrency"/> clients, request i drawn from seed + i.</summary>
    public async Task<Report> RunAsync(int count, int seed, int concurrency)
    {
        var clock = Stopwatch.StartNew();
        var reference = await RawHttp.SendAsync(server, Chat(false), Timeout).ConfigureAwait(false);
        if (reference.Status != 200) throw new InvalidOperationException($"the reference request failed: {reference.Status} {reference.Body}");
        string expected = Content(reference.Body);
        long rssBefore = Rss(), heapBefore = Heap();
        var statuses = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var failures = new ConcurrentQueue<string>();
        int next = -1, valid = 0, serverErrors = 0;
        void Fail(string what) { if (failures.Count < 20) failures.Enqueue(what); }

        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var rng = new Random(seed + i);
                string kind;
                RawHttp.Response response;
                if (i % 5 == 0)
                {
                    kind = "valid";
                    Interlocked.Increment(ref valid);
                    response = await RawHttp.SendAsync(server, Chat(false), Timeout).ConfigureAwait(false);
                    if (response.Status != 200 || Content(response.Body) != expected)
                        Fail($"request {i} (valid): {response.Status} {Cut(response.Body)}");
                }
                else if (i % 10 == 1)
                {
                    kind = rng.Next(2) == 0 ? "hang-up-mid-stream" : "stall-mid-body";
                    var bytes = kind == "stall-mid-body" ? Stalled(rng) : Chat(true);
                    await RawHttp.SendAndHangUpAsync(server, bytes, kind == "stall-mid-body" ? 0 : rng.Next(1, 400), Timeout).ConfigureAwait(false);
                    response = new RawHttp.Response(0, "");
                }
                else
                {
                    (var bytes, kind) = HostileRequests.Next(rng, model, apiKey, maxBodyBytes);
                    response = await RawHttp.SendAsync(server, bytes, Timeout).ConfigureAwait(false);
                    if (response.Status == 0) Fail($"request {i} ({kind}): no HTTP response");
                }
                statuses.AddOrUpdate($"{kind} {response.Status}", 1, (_, n) => n + 1);
                if (response.Status >= 500)
                {
                    Interlocked.Increment(ref serverErrors);
                    Fail($"request {i} ({kind}): {response.Status} {Cut(response.Body)}");
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Client))).ConfigureAwait(false);
        var health = await RawHttp.SendAsync(server, RawHttp.Request("GET", "/health", null, null), Timeout).ConfigureAwait(false);
        if (health.Status != 200) Fail($"after the run /health answered {health.Status}");
        return new Report(count, valid, serverErrors, new SortedDictionary<string, int>(statuses, StringComparer.Ordinal),
            [.. failures], rssBefore, Rss(), heapBefore, Heap(), clock.Elapsed);
    }

    /// <summary>
    /// <paramref name="streams"/> streaming chats at once; a random half hang up after a few bytes, the rest must end
    /// with <c>data: [DONE]</c>. Returns the failures.
    /// </summary>
    public async Task<IReadOnlyList<string>> ConcurrentStreamsAsync(int streams, int seed)
    {
        var failures = new ConcurrentQueue<string>();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            var rng = new Random(seed + i);
            if (rng.Next(2) == 0)
            {
                await RawHttp.SendAndHangUpAsync(server, Chat(true), rng.Next(1, 300), Timeout).ConfigureAwait(false);
                return;
            }
            var response = await RawHttp.SendAsync(server, Chat(true), Timeout).ConfigureAwait(false);
            // A full queue (429) is a correct answer under load; anything else must be a complete stream.
            if (response.Status != 429 && (response.Status != 200 || !response.Body.Contains("data: [DONE]", StringComparison.Ordinal)))
                failures.Enqueue($"stream {i}: {response.Status} {Cut(response.Body)}");
        }))).ConfigureAwait(false);
        var health = await RawHttp.SendAsync(server, RawHttp.Request("GET", "/health", null, null), Timeout).ConfigureAwait(false);
        if (health.Status != 200) failures.Enqueue($"after the streams /health answered {health.Status}");
        return [.. failures];
    }

    /// <summary>
    /// <paramref name="clients"/> bodies that stop arriving (the connection stays open) while a valid request must
    /// still be answered; each stalled one must end in a 4xx or a closed connection within <paramref name="wait"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> StallsAsync(int clients, int seed, TimeSpan wait)
    {
        var failures = new ConcurrentQueue<string>();
        var stalls = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var response = await RawHttp.SendAsync(server, Stalled(new Random(seed + i)), wait).ConfigureAwait(false);
            if (response.Status >= 500) failures.Enqueue($"stall {i}: {response.Status} {Cut(response.Body)}");
        })).ToList();
        var valid = await RawHttp.SendAsync(server, Chat(false), Timeout).ConfigureAwait(false);
        if (valid.Status != 200) failures.Enqueue($"a valid request beside {clients} stalled ones: {valid.Status} {Cut(valid.Body)}");
        await Task.WhenAll(stalls).ConfigureAwait(false);
        return [.. failures];
    }

    // A body announced as 1000 bytes of which a few arrive before the client hangs up.
    byte[] Stalled(Random rng)
    {
        var head = $"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {apiKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        return Encoding.ASCII.GetBytes(head + "{\"model\":\"" + model[..Math.Min(model.Length, rng.Next(1, 8))]);
    }

    static string Content(string body)
    {
        try { return (string?)JsonNode.Parse(body)?["choices"]?[0]?["message"]?["content"] ?? "<none>"; }
        catch (System.Text.Json.JsonException) { return "<not json>"; }
    }

    static string Cut(string s) => s.Length <= 200 ? s : s[..200] + "...";

    static long Rss() => Process.GetCurrentProcess().WorkingSet64 >> 20;

    static long Heap() => GC.GetTotalMemory(forceFullCollection: true) >> 20;
}
