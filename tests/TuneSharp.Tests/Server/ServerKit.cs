using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Server;
using TuneSharp.Tasks;
using TuneSharp.Templates;
using TuneSharp.Tokenization;

namespace TuneSharp.Tests.Server;

/// <summary>Starting servers on a free loopback port, clients for them, and the outputs they must reproduce.</summary>
internal static class ServerKit
{
    public const string ApiKey = "test-key";
    public static string Llama => Fixtures.HfTiny("tiny-llama");
    public static string Lora => Fixtures.HfTiny("tiny-llama-lora");

    /// <summary>A server on 127.0.0.1 and a free port.</summary>
    public static Task<RunningServer> StartAsync(string modelDir, Func<ServeOptions, ServeOptions>? edit = null)
    {
        var options = new ServeOptions { ModelDir = modelDir, Port = 0, ApiKey = ApiKey, Timeout = TimeSpan.FromSeconds(60) };
        return OpenAIServer.StartAsync(edit is null ? options : edit(options));
    }

    /// <summary>OpenAI client options for the server, without retries (a 429 or 408 must show, not be retried).</summary>
    public static OpenAIClientOptions ClientOptions(RunningServer server) => new()
    {
        Endpoint = new Uri(server.BaseAddress, "v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        NetworkTimeout = TimeSpan.FromSeconds(60),
    };

    public static ApiKeyCredential Key => new(ApiKey);

    /// <summary>An HttpClient for the server with the API key.</summary>
    public static HttpClient Http(RunningServer server, string? key = ApiKey)
    {
        var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary>POSTs raw bytes as JSON; returns the status and the parsed body (null when not JSON).</summary>
    public static async Task<(int Status, JsonNode? Body, string Text)> PostAsync(HttpClient http, string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try { json = JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { }
        return ((int)response.StatusCode, json, text);
    }

    public static Task<(int Status, JsonNode? Body, string Text)> PostAsync(HttpClient http, string path, string json) =>
        PostAsync(http, path, Encoding.UTF8.GetBytes(json));

    /// <summary>The prompt ids of a one-user-message chat, as the server builds them.</summary>
    public static IReadOnlyList<int> ChatPrompt(HfTokenizer tokenizer, string user)
    {
        var template = new ChatTemplate(tokenizer.ChatTemplate!);
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = user });
        return TuneSharp.Templates.ChatPrompt.Ids(template, tokenizer, messages);
    }

    /// <summary>Greedy text from <see cref="TextGenerator.Generate"/> (the reference the server must match).</summary>
    public static string Greedy(ICausalLM model, HfTokenizer tokenizer, IReadOnlyList<int> prompt, int maxTokens)
    {
        var result = TextGenerator.Generate(model, prompt, new GenerationOptions { MaxNewTokens = maxTokens });
        return tokenizer.Decode(result.NewIds, skipSpecialTokens: true);
    }

    /// <summary>The data: lines of an SSE body, parsed (the final [DONE] excluded; asserts it is there).</summary>
    public static List<JsonNode> Events(string sse)
    {
        var lines = sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", lines[^1]);
        return lines[..^1].Select(l =>
        {
            Assert.StartsWith("data: ", l, StringComparison.Ordinal);
            return JsonNode.Parse(l["data: ".Length..])!;
        }).ToList();
    }
}

/// <summary>One tiny-llama server with the tiny LoRA adapter as "tiny-lora", shared by a test class.</summary>
public sealed class LlamaServerFixture : IAsyncLifetime
{
    public RunningServer Server { get; private set; } = null!;
    public HfTokenizer Tokenizer { get; } = HfTokenizer.Load(ServerKit.Llama);
    public ICausalLM Model { get; } = Pretrained.LoadCausalLM(ServerKit.Llama);

    public async Task InitializeAsync() => Server = await ServerKit.StartAsync(ServerKit.Llama, o => o with
    {
        Adapters = new Dictionary<string, string>(StringComparer.Ordinal) { ["tiny-lora"] = ServerKit.Lora },
    });

    public async Task DisposeAsync()
    {
        await Server.StopAsync();
        Model.Dispose();
    }
}
