using System.Text.Json.Nodes;

namespace TuneSharp.Models.Heads;

/// <summary>
/// One head of a multi-task model: its name (what predict --head and serve --head select), its task
/// ("sequence-classification" or "token-classification"), its labels in index order, and for sequence heads how the
/// encoder's states are pooled (pooler | cls | mean). Saved in config.json under <see cref="ConfigKey"/>.
/// </summary>
public sealed record MultiTaskHeadSpec(string Name, string Task, IReadOnlyList<string> Labels, string? Pooling = null)
{
    /// <summary>The config.json key listing the heads; transformers ignores it and loads the body as a BertModel.</summary>
    public const string ConfigKey = "tunesharp_heads";

    public const string SequenceTask = "sequence-classification", TokenTask = "token-classification";

    /// <summary>The head's entry in config.json.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["name"] = Name, ["task"] = Task, ["id2label"] = new JsonArray(Labels.Select(l => (JsonNode)l).ToArray()) };
        if (Pooling is not null) o["pooling"] = Pooling;
        return o;
    }

    /// <summary>The heads a config.json lists, or null when it is not a multi-task model.</summary>
    public static IReadOnlyList<MultiTaskHeadSpec>? FromConfig(ConfigJson config)
    {
        if (config.Root[ConfigKey] is not JsonArray heads) return null;
        return heads.Select((h, i) =>
        {
            string where = $"{config.Path}: {ConfigKey}[{i}]";
            if (h is not JsonObject o) throw new UserError($"{where}: expected an object");
            string Text(string key) => o[key] is JsonValue v && v.TryGetValue(out string? s) ? s : throw new UserError($"{where}: key '{key}' is missing");
            var labels = o["id2label"] is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? "").ToList() : throw new UserError($"{where}: key 'id2label' is missing");
            return new MultiTaskHeadSpec(Text("name"), Text("task"), labels, o["pooling"]?.GetValue<string>());
        }).ToList();
    }
}
