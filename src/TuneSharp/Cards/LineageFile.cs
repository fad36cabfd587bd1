using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Cards;

/// <summary>lineage.json: a <see cref="Lineage"/> in snake_case JSON, written atomically and read back with checks.</summary>
public static class LineageFile
{
    public const string Name = "lineage.json";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string modelDir, Lineage l)
    {
        var root = new JsonObject
        {
            ["format"] = Lineage.Format,
            ["base_model"] = Folder(l.BaseModel),
            ["model"] = Folder(l.Model),
            ["data"] = new JsonArray(l.Data.Select(d => (JsonNode)new JsonObject
            {
                ["split"] = d.Split, ["path"] = d.Path, ["sha256"] = d.Sha256, ["examples"] = d.Examples,
            }).ToArray()),
            ["recipe_file"] = l.RecipeFile,
            ["recipe"] = l.Recipe.DeepClone(),
            ["task"] = l.Task,
            ["method"] = l.Method,
            ["seed"] = l.Seed,
            ["tunesharp_version"] = l.TuneSharpVersion,
            ["libraries"] = new JsonObject(l.Libraries.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["device"] = l.Device,
            ["started"] = l.Started.ToString("O", CultureInfo.InvariantCulture),
            ["finished"] = l.Finished.ToString("O", CultureInfo.InvariantCulture),
            ["metrics"] = new JsonArray(l.Metrics.Select(m =>
            {
                var o = new JsonObject { ["split"] = m.Split, ["name"] = m.Name, ["value"] = m.Value };
                if (m.Low is double low && m.High is double high) { o["ci95_low"] = low; o["ci95_high"] = high; }
                return (JsonNode)o;
            }).ToArray()),
        };
        IO.AtomicFile.WriteAllText(Path.Combine(modelDir, Name), root.ToJsonString(Indented) + "\n");
    }

    static JsonObject Folder(FolderDigest f) => new() { ["path"] = f.Path, ["sha256"] = f.Sha256, ["files"] = f.Files };

    /// <summary>The digests recorded in <paramref name="modelDir"/>/lineage.json; a missing or unreadable file is a <see cref="UserError"/>.</summary>
    public static (FolderDigest BaseModel, FolderDigest Model, IReadOnlyList<DataDigest> Data) ReadDigests(string modelDir)
    {
        var path = Path.Combine(modelDir, Name);
        if (!File.Exists(path)) throw new UserError($"{path}: not found (a model folder written by `tunesharp train` has one)");
        var root = IO.JsonFile.ReadObject(path);
        if ((string?)root["format"] != Lineage.Format) throw new UserError($"{path}: key 'format': expected '{Lineage.Format}'");
        string Text(JsonNode? n, string key) => n?[key] is JsonValue v && v.TryGetValue(out string? s) ? s
            : throw new UserError($"{path}: key '{key}' is missing or not a string");
        int Int(JsonNode? n, string key) => n?[key] is JsonValue v && v.TryGetValue(out int i) ? i
            : throw new UserError($"{path}: key '{key}' is missing or not an integer");
        FolderDigest Folder(string key) => root[key] is JsonObject o ? new(Text(o, "path"), Text(o, "sha256"), Int(o, "files"))
            : throw new UserError($"{path}: key '{key}' is missing");
        var data = root["data"] as JsonArray ?? throw new UserError($"{path}: key 'data' is missing");
        return (Folder("base_model"), Folder("model"),
            data.Select(d => new DataDigest(Text(d, "split"), Text(d, "path"), Text(d, "sha256"), Int(d, "examples"))).ToList());
    }
}
