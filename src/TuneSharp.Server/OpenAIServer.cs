using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TuneSharp.Server;

/// <summary>
/// Builds and starts the OpenAI-compatible server on Kestrel. Routes: GET /v1/models, POST /v1/chat/completions,
/// /v1/completions, /v1/embeddings, /v1/classify, GET /health (never needs the API key, for probes) and
/// GET /metrics (Prometheus).
/// </summary>
public static class OpenAIServer
{
    static readonly string[] Routes = ["/v1/models", "/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/classify", "/health", "/metrics"];

    /// <summary>Loads the model folder and adapters, then starts listening.</summary>
    public static async Task<RunningServer> StartAsync(ServeOptions options, CancellationToken cancel = default)
    {
        options.Validate();
        if (options.Threads is int threads) TorchSharp.torch.set_num_threads(threads);
        var model = ServedModel.Load(options);
        try { return await StartAsync(options, model, cancel).ConfigureAwait(false); }
        catch { model.Dispose(); throw; }
    }

    /// <summary>Starts listening with an already loaded model, which the returned server then owns.</summary>
    public static async Task<RunningServer> StartAsync(ServeOptions options, ServedModel model, CancellationToken cancel = default)
    {
        options.Validate();
        var address = Address(options.Host);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
        });
        // Shutdown waits for in-flight requests (they finish within the request timeout) before the model goes away.
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.Timeout + TimeSpan.FromSeconds(5));
        var app = builder.Build();
        // Generation goes through the continuous batcher (one running batch, joined and left at every step) unless
        // --batching none asks for one request at a time; only a causal LM generates.
        var batcher = options.Batching == "continuous" && model.CausalLM is { } lm
            ? new Generation.Continuous.ContinuousBatcher(lm, options.BatchLimits, id => model.Activate(id))
            : null;
        var queue = new InferenceQueue(options.MaxQueue, batcher);
        var server = new ServerContext(model, queue, new ServerMetrics(), options, batcher);
        Configure(app, server);
        try { await app.StartAsync(cancel).ConfigureAwait(false); }
        catch (IOException e)
        {
            queue.Dispose();
            batcher?.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw new UserError($"cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, server, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    static IPAddress Address(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        return IPAddress.TryParse(host, out var ip) ? ip : throw new UserError($"--host: expected an IP address (e.g. 127.0.0.1), got '{host}'");
    }

    static void Configure(WebApplication app, ServerContext server)
    {
        var key = server.Options.ApiKey is { } k ? Encoding.UTF8.GetBytes("Bearer " + k) : null;
        app.Use(async (ctx, next) =>
        {
            var clock = Stopwatch.StartNew();
            string route = Routes.Contains(ctx.Request.Path.Value, StringComparer.Ordinal) ? ctx.Request.Path.Value! : "other";
            try
            {
                // The dashboard (serve --dashboard) checks the same key itself, also from its cookie (browsers send no header).
                bool dashboard = server.Options.DashboardRuns is not null && ctx.Request.Path.StartsWithSegments("/dashboard");
                bool dashboardCookie = server.Options.ApiKey is { } apiKey && Dashboard.DashboardAuth.HasCookie(ctx, apiKey);
                if (key is not null && route != "/health" && !dashboard && !dashboardCookie && !Authorized(ctx, key))
                    throw new ApiException(401, "Incorrect API key provided. Pass it as `Authorization: Bearer KEY`.",
                        type: "invalid_request_error", code: "invalid_api_key");
                await next(ctx).ConfigureAwait(false);
            }
            catch (Exception e) when (!ctx.Response.HasStarted && Answer(e) is { } error)
            {
                await HttpIo.WriteErrorAsync(ctx, error).ConfigureAwait(false);
            }
            catch (Exception e) when (ctx.Response.HasStarted)
            {
                // The client went away mid-stream, or the stream broke: nothing more can be sent.
                if (!ctx.RequestAborted.IsCancellationRequested) Console.Error.WriteLine($"serve: {route}: stream ended: {e.Message}");
            }
            finally { server.Metrics.Request(route, ctx.Response.StatusCode, clock.Elapsed.TotalSeconds); }
        });
        app.MapGet("/health", ctx => HttpIo.WriteJsonAsync(ctx, 200, new JsonObject { ["status"] = "ok" }));
        app.MapGet("/metrics", ctx =>
        {
            ctx.Response.ContentType = "text/plain; version=0.0.4";
            return ctx.Response.WriteAsync(server.Metrics.Render(server.Queue.Depth, server.Queue.Running));
        });
        app.MapGet("/v1/models", ctx => HttpIo.WriteJsonAsync(ctx, 200, Models(server.Model)));
        app.MapPost("/v1/chat/completions", ctx => ChatRoute.HandleAsync(ctx, server));
        app.MapPost("/v1/completions", ctx => CompletionsRoute.HandleAsync(ctx, server));
        app.MapPost("/v1/embeddings", ctx => EmbeddingsRoute.HandleAsync(ctx, server));
        app.MapPost("/v1/classify", ctx => ClassifyRoute.HandleAsync(ctx, server));
        if (server.Options.DashboardRuns is { } runs)
            Dashboard.DashboardRoutes.Map(app, "/dashboard", new Dashboard.RunCatalog(runs), server.Options.ApiKey, chat: true);
        app.MapFallback(ctx => throw new ApiException(404, $"No route {ctx.Request.Method} {ctx.Request.Path}.", code: "not_found"));
    }

    // The mapping from failures to answers: ours, the library's user errors (400), oversized bodies from Kestrel
    // (413), timeouts (408). Anything else is a bug: a 500 with a short message, logged.
    static ApiException? Answer(Exception e) => e switch
    {
        ApiException a => a,
        UserError u => new ApiException(400, u.Message),
        BadHttpRequestException b => new ApiException(b.StatusCode, b.Message, code: b.StatusCode == 413 ? "request_too_large" : null),
        OperationCanceledException => new ApiException(408, "The request was cancelled or timed out.", type: "timeout_error", code: "timeout"),
        _ => Internal(e),
    };

    static ApiException Internal(Exception e)
    {
        Console.Error.WriteLine($"serve: internal error: {e}");
        return new ApiException(500, "The server had an error while processing your request.", type: "server_error");
    }

    static bool Authorized(HttpContext ctx, byte[] expected)
    {
        var given = Encoding.UTF8.GetBytes(ctx.Request.Headers.Authorization.ToString());
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    static JsonObject Models(ServedModel model)
    {
        long created = OpenAIJson.Now();
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(model.ModelIds.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id, ["object"] = "model", ["created"] = created, ["owned_by"] = "tunesharp",
                ["parent"] = id == model.Id ? null : model.Id,
            }).ToArray()),
        };
    }
}

/// <summary>A started server: its address, and a graceful stop that lets in-flight requests finish.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ServerContext server;
    int stopped;

    internal RunningServer(WebApplication app, ServerContext server, Uri baseAddress)
    {
        this.app = app;
        this.server = server;
        BaseAddress = baseAddress;
    }

    /// <summary>e.g. http://127.0.0.1:8080/ (the real port when 0 was asked for).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The served model, queue and metrics.</summary>
    public ServerContext Context => server;

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancel = default) => app.WaitForShutdownAsync(cancel);

    /// <summary>
    /// Stops accepting connections, waits for in-flight requests (queued ones still run), then releases the model.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0) return;
        await app.StopAsync().ConfigureAwait(false);
        server.Queue.Close(server.Options.Timeout);
        server.Batcher?.Dispose();
        await app.DisposeAsync().ConfigureAwait(false);
        server.Model.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
