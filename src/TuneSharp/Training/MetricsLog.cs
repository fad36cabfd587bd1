using System.Text.Json.Nodes;

namespace TuneSharp.Training;

/// <summary>
/// metrics.jsonl: one JSON object per line ({"split": "train"|"validation"|..., "step": N, ...}),
/// flushed after each line so a killed run loses at most the line being written.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    readonly StreamWriter writer;

    public string Path { get; }

    /// <summary>
    /// Opens the log. When resuming from <paramref name="resumeStep"/>, lines after that step (and any
    /// torn last line) are dropped first, so the log reads as if the run had never been interrupted.
    /// </summary>
    public MetricsLog(string path, int? resumeStep)
    {
        Path = path;
        if (resumeStep is int step && File.Exists(path))
        {
            var kept = new List<string>();
            foreach (var line in File.ReadLines(path))
            {
                JsonNode? node;
                try { node = JsonNode.Parse(line); } catch (System.Text.Json.JsonException) { continue; }
                if (node?["step"] is JsonValue v && v.TryGetValue(out int s) && s <= step) kept.Add(line);
            }
            IO.AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join("\n", kept) + "\n");
        }
        else if (resumeStep is null && File.Exists(path)) File.Delete(path);
        writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public void Write(JsonObject entry) => writer.WriteLine(entry.ToJsonString());

    /// <summary>Reads all entries of a split from a metrics.jsonl file.</summary>
    public static List<JsonObject> Read(string path, string? split = null) =>
        File.ReadLines(path).Select(l => JsonNode.Parse(l)!.AsObject())
            .Where(o => split is null || (string?)o["split"] == split).ToList();

    public void Dispose() => writer.Dispose();
}
