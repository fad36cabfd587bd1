using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TuneSharp.Server.Dashboard;

/// <summary>
/// The dashboard's routes under a prefix ("" standalone, "/dashboard" inside <c>serve</c>). Pages: / (runs),
/// /run?name=, /compare?runs=a,b, /study?name=, /data, /playground. JSON: api/runs, api/runs/{name},
/// api/compare?runs=, api/studies/{name}, api/data/{files,validate,audit}, api/playground/{models,classify,embed};
/// SSE: api/runs/{name}/metrics/stream; files: api/runs/{name}/files/{path} (only under the runs folder, and data
/// files only under the data folder the user named).
/// </summary>
public static class DashboardRoutes
{
    public static void Map(IEndpointRouteBuilder app, string prefix, RunCatalog catalog, string? apiKey, bool chat, string? dataDir = null)
    {
        var data = new DataView(dataDir);
        var models = new PlaygroundModels(catalog, data);
        app.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(models.Dispose);
        var group = app.MapGroup(prefix);
        group.AddEndpointFilter(async (context, next) =>
        {
            var ctx = context.HttpContext;
            if (apiKey is not null && !DashboardAuth.Check(ctx, apiKey))
                return Results.Text("API key required: open the dashboard once with ?key=YOUR_KEY", statusCode: 401);
            try { return await next(context).ConfigureAwait(false); }
            catch (UserError e) when (!ctx.Response.HasStarted) { return Results.Json(new { error = e.Message }, statusCode: 400); }
            catch (Exception e) when (!ctx.Response.HasStarted && e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                return Results.Json(new { error = e.Message }, statusCode: 422); // an unreadable file of a run: named, not a 500
            }
            catch (Exception e) when (!ctx.Response.HasStarted && e is not OperationCanceledException)
            {
                Console.Error.WriteLine($"dashboard: {ctx.Request.Path}: {e}");
                return Results.Json(new { error = $"internal error: {e.GetType().Name}: {e.Message}" }, statusCode: 500);
            }
            catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested) { return Results.Empty; }
        });
        // Pages link relatively ("run?name=", "static/app.js"): /dashboard must become /dashboard/ for them to resolve.
        group.MapGet("/", (HttpContext ctx) => ctx.Request.Path.Value!.EndsWith('/') ? Page("index.html")
            : Results.Redirect(ctx.Request.PathBase + ctx.Request.Path + "/" + ctx.Request.QueryString));
        group.MapGet("/run", () => Page("run.html"));
        group.MapGet("/compare", () => Page("compare.html"));
        group.MapGet("/playground", () => Page("playground.html"));
        group.MapGet("/study", () => Page("study.html"));
        group.MapGet("/data", () => Page("data.html"));
        group.MapGet("/static/{**file}", (string file) =>
            DashboardAssets.Read(file) is { } bytes ? Results.Bytes(bytes, DashboardAssets.ContentType(file)) : NotFound($"no asset {file}"));
        group.MapGet("/api/config", () => Results.Json(new { chat }));
        group.MapGet("/api/runs", () => Results.Json(catalog.List(), DashboardJson.Options));
        group.MapGet("/api/runs/{name}", (string name) => Detail(catalog, name));
        group.MapGet("/api/runs/{name}/metrics/stream", (HttpContext ctx, string name) =>
            catalog.FolderOf(name) is { } dir ? Results.Stream(_ => MetricsTail.StreamAsync(ctx, dir, ctx.RequestAborted), "text/event-stream")
            : NotFound($"no run {name}"));
        group.MapGet("/api/runs/{name}/files/{**path}", (string name, string path) =>
        {
            if (catalog.FolderOf(name) is not { } dir || SafePath.Resolve(catalog.Root, name + "/" + path) is not { } file || !File.Exists(file))
                return NotFound($"no file {path} in run {name}");
            return Results.File(file, DashboardAssets.ContentType(file));
        });
        group.MapGet("/api/compare", (string? runs) => Compare(catalog, runs));
        group.MapGet("/api/studies/{name}", (string name) =>
            catalog.FolderOf(name) is { } dir && StudyView.Read(dir) is { } study ? Json(study) : NotFound($"no study {name}"));
        group.MapGet("/api/data/files", () => Results.Json(new { folder = data.Root is not null, files = data.Files() }));
        group.MapGet("/api/data/validate", (string? file, string? text_field, string? label_field) => Json(data.Validate(file, text_field, label_field)));
        group.MapGet("/api/data/audit", (string? file, string? text_field, string? label_field, int? offset, int? limit) =>
            Json(data.Audit(file, text_field, label_field, offset ?? 0, limit ?? 20)));
        group.MapGet("/api/playground/models", () => Json(models.List()));
        group.MapPost("/api/playground/classify", (PlaygroundRequest r) => Json(models.Classify(r.Run, r.Text)));
        group.MapPost("/api/playground/embed", (PlaygroundRequest r) => Json(models.Embed(r.Run, r.Text, r.Sample, r.File, r.TextField, r.K ?? 5)));
    }

    static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json");

    static IResult Page(string name) => Results.Bytes(DashboardAssets.Read(name)!, DashboardAssets.ContentType(name));

    static IResult NotFound(string message) => Results.Json(new { error = message }, statusCode: 404);

    /// <summary>Everything the run page shows; a broken run still answers 200 with its reason.</summary>
    static IResult Detail(RunCatalog catalog, string name)
    {
        if (catalog.Read(name) is not { } entry || catalog.FolderOf(name) is not { } dir) return NotFound($"no run {name}");
        var body = new JsonObject
        {
            ["summary"] = JsonSerializerNode(entry),
            ["config"] = Text(dir, "config.yaml"),
            ["report"] = Text(dir, "report.md"),
            ["card"] = Text(Path.Combine(dir, "model"), "README.md") ?? Text(Path.Combine(dir, "adapter"), "README.md"),
            ["plots"] = new JsonArray(Directory.EnumerateFiles(dir, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(p => (JsonNode)p!).ToArray()),
        };
        return Results.Text(body.ToJsonString(), "application/json");
    }

    static IResult Compare(RunCatalog catalog, string? runs)
    {
        var names = (runs ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length < 2) throw new UserError("compare: give two or more runs, e.g. ?runs=a,b");
        var dirs = names.Select(n => catalog.FolderOf(n) ?? throw new UserError($"compare: no run {n}")).ToArray();
        var recipes = new List<IReadOnlyDictionary<string, string>>();
        var entries = new JsonArray();
        foreach (var (name, dir) in names.Zip(dirs))
        {
            var entry = catalog.Read(name)!;
            entries.Add(JsonSerializerNode(entry));
            try { recipes.Add(catalog.Recipe(dir)); }
            catch (UserError) { recipes.Add(new Dictionary<string, string>()); }
        }
        var diff = new JsonObject();
        foreach (var (key, values) in FlatRecipe.Diff(recipes))
            diff[key] = new JsonArray(values.Select(v => (JsonNode)v).ToArray());
        var finals = new JsonArray(dirs.Select(d => (JsonNode?)FinalResults(d)).ToArray());
        return Results.Text(new JsonObject { ["runs"] = entries, ["diff"] = diff, ["results"] = finals }.ToJsonString(), "application/json");
    }

    /// <summary>report.json's results (metric → split → value), or null without a readable report.</summary>
    static JsonNode? FinalResults(string dir)
    {
        var path = Path.Combine(dir, "report.json");
        if (!File.Exists(path)) return null;
        try { return JsonNode.Parse(File.ReadAllText(path))?["results"]?.DeepClone(); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    static JsonNode JsonSerializerNode(RunEntry e) => System.Text.Json.JsonSerializer.SerializeToNode(e, DashboardJson.Options)!;

    /// <summary>A run folder's text file, or null when it has none.</summary>
    internal static string? Text(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}

/// <summary>The body of the playground's classify and embed calls.</summary>
public sealed record PlaygroundRequest(string? Run, string? Text, IReadOnlyList<string>? Sample, string? File,
    [property: System.Text.Json.Serialization.JsonPropertyName("text_field")] string? TextField, int? K);

/// <summary>snake_case JSON for the front end, as the rest of TuneSharp's files.</summary>
static class DashboardJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };
}
