using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Server.Dashboard;

/// <summary>
/// Reads the runs folder: every subfolder with a config.yaml, metrics.jsonl, report.json or study.db is a run (or
/// study). A folder whose files cannot be read is listed with status "broken" and the reason, never an error page.
/// </summary>
public sealed class RunCatalog(string runsDir)
{
    /// <summary>A run whose metrics.jsonl changed this recently and has no report yet is shown as running.</summary>
    public static readonly TimeSpan RunningWindow = TimeSpan.FromMinutes(2);

    public string Root { get; } = Path.GetFullPath(runsDir);

    /// <summary>All runs, newest first.</summary>
    public IReadOnlyList<RunEntry> List()
    {
        var dirs = new DirectoryInfo(Root).EnumerateDirectories()
            .Where(d => LooksLikeRun(d.FullName))
            .OrderByDescending(d => d.LastWriteTimeUtc);
        return dirs.Select(d => Read(d.Name)!).Where(e => e is not null).ToList();
    }

    /// <summary>The folder of run <paramref name="name"/>, or null when the name is not a plain folder under the root.</summary>
    public string? FolderOf(string name) =>
        SafePath.IsRunName(name) && SafePath.Resolve(Root, name) is { } dir && Directory.Exists(dir) ? dir : null;

    /// <summary>The run's summary, or null when there is no such run.</summary>
    public RunEntry? Read(string name)
    {
        if (FolderOf(name) is not { } dir) return null;
        try { return Summarise(name, dir); }
        catch (Exception e) // whatever a run folder holds, it is shown as broken with the reason, never as a 500
        {
            return new RunEntry(name, "broken", null, null, null, null, null, null, null, e.Message);
        }
    }

    /// <summary>The run's config.yaml flattened, or an empty map when it has none.</summary>
    public SortedDictionary<string, string> Recipe(string dir)
    {
        var path = Path.Combine(dir, "config.yaml");
        return File.Exists(path) ? FlatRecipe.Parse(File.ReadAllText(path)) : new(StringComparer.Ordinal);
    }

    /// <summary>The run's metrics.jsonl lines parsed; lines that are not JSON objects (e.g. a half-written last one) are skipped.</summary>
    public static List<JsonObject> Metrics(string dir)
    {
        var path = Path.Combine(dir, "metrics.jsonl");
        var result = new List<JsonObject>();
        if (!File.Exists(path)) return result;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
            if (MetricsLine(line) is { } obj) result.Add(obj);
        return result;
    }

    /// <summary>One metrics line as a JSON object, or null when it is not one.</summary>
    public static JsonObject? MetricsLine(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try { return JsonNode.Parse(line) as JsonObject; }
        catch (JsonException) { return null; }
    }

    static bool LooksLikeRun(string dir) =>
        new[] { "config.yaml", "metrics.jsonl", "report.json", "study.db" }.Any(f => File.Exists(Path.Combine(dir, f)));

    RunEntry Summarise(string name, string dir)
    {
        var flat = Recipe(dir);
        flat.TryGetValue("model", out var model);
        flat.TryGetValue("task", out var task);
        string? method = flat.TryGetValue("method.type", out var m) ? m : flat.ContainsKey("model") ? "full" : null;
        var reportPath = Path.Combine(dir, "report.json");
        if (File.Exists(reportPath))
        {
            var report = JsonNode.Parse(File.ReadAllText(reportPath)) as JsonObject
                ?? throw new UserError("report.json: not a JSON object");
            string? metricName = report["best_metric_name"]?.GetValue<string>();
            double? best = Number(report["best_metric"]);
            // Without a best checkpoint, the final validation value of the same metric stands for it.
            if (best is null && metricName is not null) best = Number(report["results"]?[metricName]?["validation"]);
            return new RunEntry(name, "finished", report["recipe"]?.GetValue<string>(), model ?? report["model"]?.GetValue<string>(),
                task ?? report["task"]?.GetValue<string>(), report["method"]?["name"]?.GetValue<string>() ?? method,
                metricName, best, Number(report["wall_time_s"]), null);
        }
        if (File.Exists(Path.Combine(dir, "study.db")))
            return new RunEntry(name, "study", null, model, task, "study", null, null, null, null);
        var metricsPath = Path.Combine(dir, "metrics.jsonl");
        if (!File.Exists(metricsPath))
        {
            if (!File.Exists(Path.Combine(dir, "config.yaml"))) throw new UserError("no config.yaml, metrics.jsonl or report.json");
            return new RunEntry(name, "stopped", null, model, task, method, null, null, null, null);
        }
        bool fresh = DateTime.UtcNow - File.GetLastWriteTimeUtc(metricsPath) < RunningWindow;
        double? seconds = (File.GetLastWriteTimeUtc(metricsPath) - Directory.GetCreationTimeUtc(dir)).TotalSeconds;
        return new RunEntry(name, fresh ? "running" : "stopped", null, model, task, method, null, null, seconds is > 0 ? seconds : null, null);
    }

    static double? Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
