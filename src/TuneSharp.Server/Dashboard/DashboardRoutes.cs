using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TuneSharp.Server.Dashboard;

/// <summary>
/// The dashboard's routes under a prefix ("" standalone, "/dashboard" inside <c>serve</c>). Pages: / (runs),
/// /run?name=, /compare?runs=a,b, /playground. JSON: api/runs, api/runs/{name}, api/compare?runs=, SSE:
/// api/runs/{name}/metrics/stream, files: api/runs/{name}/files/{path} (only under the runs folder).
/// </summary>
public static class DashboardRoutes
{
    public static void Map(IEndpointRouteBuilder app, string prefix, RunCatalog catalog, string? apiKey, bool chat)
    {
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
    }

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

    static string? Text(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}

/// <summary>snake_case JSON for the front end, as the rest of TuneSharp's files.</summary>
static class DashboardJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower };
}
