namespace TuneSharp.Tests.Server;

/// <summary>
/// Reproducers from bench serve-abuse (docs/RELIABILITY.md): request bodies that used to end in a 500, because
/// System.Text.Json accepts them when parsing and throws only when a route reads the value.
/// </summary>
public sealed class HostileRequestTests
{
    [Theory]
    [InlineData("{\"model\": \"tiny-llama\", \"prompt\": \"hi\", \"max_tokens\": 2, \"max_tokens\": 3}", "max_tokens")]
    [InlineData("{\"model\": \"tiny-llama\", \"prompt\": \"hi\", \"stop\": [\"\\ud800\"]}", "$.stop[0]")]
    [InlineData("{\"model\": \"tiny-llama\", \"prompt\": \"hi\", \"\\udc00\": 1}", "surrogate")]
    public async Task A_duplicated_key_or_a_lone_surrogate_is_a_400_naming_it(string body, string named)
    {
        await using var server = await ServerKit.StartAsync(ServerKit.Llama);
        using var http = ServerKit.Http(server);
        var (status, json, text) = await ServerKit.PostAsync(http, "/v1/completions", body);
        Assert.Equal(400, status);
        Assert.Contains(named, (string?)json?["error"]?["message"] ?? text, StringComparison.Ordinal);
        var (after, _, _) = await ServerKit.PostAsync(http, "/v1/completions", "{\"model\": \"tiny-llama\", \"prompt\": \"hi\", \"max_tokens\": 1}");
        Assert.Equal(200, after);
    }
}
