using System.Reflection;

namespace TuneSharp.Server.Dashboard;

/// <summary>The pages, script, style and vendored uPlot, embedded in the assembly (no folder to ship, no build chain).</summary>
public static class DashboardAssets
{
    static readonly Assembly Self = typeof(DashboardAssets).Assembly;

    /// <summary>The bytes of wwwroot/<paramref name="name"/> (e.g. "app.js", "vendor/uplot/uPlot.iife.min.js"), or null.</summary>
    public static byte[]? Read(string name)
    {
        if (!SafePath.IsRunName(name.Replace('/', '_'))) return null;
        using var stream = Self.GetManifestResourceStream("dashboard/" + name);
        if (stream is null) return null;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".png" => "image/png",
        ".md" or ".txt" or ".yaml" or ".jsonl" => "text/plain; charset=utf-8",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };
}
