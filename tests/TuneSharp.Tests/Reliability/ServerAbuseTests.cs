using TuneSharp.Hardening;
using TuneSharp.Tests.Server;

namespace TuneSharp.Tests.Reliability;

/// <summary>
/// The short, fixed-seed version of <c>bench serve-abuse</c> against a server on 127.0.0.1: malformed requests (wrong
/// types, huge numbers, invalid UTF-8, deep JSON, duplicate keys, oversized bodies, broken HTTP, bad keys, model
/// names that look like paths) interleaved with valid greedy requests, hang-ups mid-stream and stalled bodies.
/// </summary>
public sealed class ServerAbuseTests
{
    [Fact]
    public async Task Malformed_requests_get_4xx_and_valid_ones_the_right_answer()
    {
        await using var server = await ServerKit.StartAsync(ServerKit.Llama, o => o with { MaxQueue = 256, Timeout = TimeSpan.FromSeconds(30) });
        var abuse = new ServerAbuse(server.BaseAddress, ServerKit.ApiKey, server.Context.Model.Id, server.Context.Options.MaxBodyBytes);
        var report = await abuse.RunAsync(count: 600, seed: 1, concurrency: 8);
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures));
        Assert.Equal(0, report.ServerErrors);
        Assert.Equal(120, report.Valid);
        // Every kind of abuse reached the server and got its answer: 400, 401, 404 for path-like names, 413, 414.
        foreach (var expected in new[] { "invalid-utf8 400", "deep-json 400", "duplicate-key 400", "bad-api-key 401", "path-like-model 404", "oversized-body 413" })
            Assert.True(report.Statuses.ContainsKey(expected), $"no '{expected}' in {string.Join(", ", report.Statuses.Keys)}");

        Assert.Empty(await abuse.ConcurrentStreamsAsync(streams: 16, seed: 1));
        Assert.Empty(await abuse.StallsAsync(clients: 4, seed: 1, wait: TimeSpan.FromSeconds(30)));
    }
}
