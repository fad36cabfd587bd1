using System.Text;
using System.Text.Json;

namespace TuneSharp.IO;

/// <summary>
/// A Hugging Face shard index, <c>model.safetensors.index.json</c>:
/// <c>{"metadata": {"total_parameters": P, "total_size": S}, "weight_map": {"key": "model-00001-of-00002.safetensors", ...}}</c>.
/// </summary>
public sealed record CheckpointIndex(IReadOnlyDictionary<string, string> WeightMap, long TotalSize, long? TotalParameters)
{
    /// <summary>The file name Hugging Face gives the index of sharded safetensors weights.</summary>
    public const string FileName = "model.safetensors.index.json";

    /// <summary>The shard file name Hugging Face uses: model-00001-of-00003.safetensors (1-based).</summary>
    public static string ShardFileName(int index, int count) => $"model-{index:D5}-of-{count:D5}.safetensors";

    /// <summary>Reads and validates an index file; shard names must be plain file names in the index's folder.</summary>
    /// <exception cref="UserError">The file is not valid JSON or lacks a weight_map of strings.</exception>
    public static CheckpointIndex Read(string path)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(path), JsonFile.Options()); }
        catch (JsonException e) { throw JsonFile.Invalid(path, e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new UserError($"{path}: not a shard index: no \"weight_map\" object");
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in map.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new UserError($"{path}: weight_map entry '{p.Name}' is not a file name");
                string shard = p.Value.GetString()!;
                // A shard must sit beside the index: no folders, no "..", no absolute paths.
                if (shard.Length == 0 || shard != System.IO.Path.GetFileName(shard) || shard is "." or "..")
                    throw new UserError($"{path}: weight_map entry '{p.Name}' names '{shard}', which is not a file name beside the index");
                if (!weightMap.TryAdd(p.Name, shard))
                    throw new UserError($"{path}: weight_map has the key '{p.Name}' twice");
            }
            long totalSize = 0;
            long? totalParameters = null;
            if (root.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
            {
                if (meta.TryGetProperty("total_size", out var s) && s.TryGetInt64(out long size)) totalSize = size;
                if (meta.TryGetProperty("total_parameters", out var n) && n.TryGetInt64(out long count)) totalParameters = count;
            }
            return new CheckpointIndex(weightMap, totalSize, totalParameters);
        }
    }

    /// <summary>
    /// The index as Hugging Face writes it: <c>json.dumps(index, indent=2, sort_keys=True) + "\n"</c>.
    /// "total_parameters" is written when known (transformers 4.5x+ writes it; readers only use weight_map).
    /// </summary>
    public string ToJson()
    {
        var sb = new StringBuilder();
        sb.Append("{\n  \"metadata\": {\n");
        if (TotalParameters is { } p) sb.Append("    \"total_parameters\": ").Append(p).Append(",\n");
        sb.Append("    \"total_size\": ").Append(TotalSize).Append("\n  },\n  \"weight_map\": {");
        bool first = true;
        foreach (var (key, file) in WeightMap.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            sb.Append(first ? "\n    " : ",\n    ");
            SafetensorsJson.PythonString(sb, key);
            sb.Append(": ");
            SafetensorsJson.PythonString(sb, file);
            first = false;
        }
        sb.Append(first ? "}\n}\n" : "\n  }\n}\n");
        return sb.ToString();
    }
}
