using System.Text.Json.Nodes;
using TuneSharp.Text;

namespace TuneSharp.Recipes;

/// <summary>
/// Loads a YAML recipe, applies <c>key=value</c> overrides, and checks every key and type against
/// <see cref="RecipeSchema"/>. Errors name the file, the line and the key path, with the closest valid name.
/// </summary>
public static class RecipeLoader
{
    public static Recipe Load(string path, IEnumerable<string>? overrides = null)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: recipe file not found");
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var root = YamlToJson.Parse(File.ReadAllText(path), path, lines);
        foreach (var o in overrides ?? []) ApplyOverride(root, o, path);
        Check(root, RecipeSchema.Root, "", path, lines);
        return new Recipe(root, Path.GetFullPath(path));
    }

    /// <summary>Sets "a.b.c=value" (value typed like a plain YAML scalar; "[x, y]" is a list).</summary>
    public static void ApplyOverride(JsonObject root, string assignment, string file)
    {
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new UserError($"override '{assignment}': expected key=value, e.g. training.learning_rate=1e-4");
        var path = assignment[..eq].Trim();
        var text = assignment[(eq + 1)..].Trim();
        var parts = path.Split('.');
        var schema = RecipeSchema.Root;
        JsonObject node = root;
        for (int i = 0; i < parts.Length; i++)
        {
            var key = parts[i];
            var prefix = string.Join('.', parts.Take(i + 1));
            if (!schema.TryGetValue(key, out var spec)) throw Unknown(prefix, key, schema, $"override '{assignment}'");
            if (i == parts.Length - 1)
            {
                node[key] = spec.Kind is KeyKind.StringList or KeyKind.NumberList ? ParseList(text) : YamlToJson.Infer(text);
                return;
            }
            if (spec.Kind is not (KeyKind.Section or KeyKind.SectionMap)) throw new UserError($"override '{assignment}': '{prefix}' is a value, not a section");
            if (node[key] is not JsonObject child) node[key] = child = new JsonObject();
            node = child;
            schema = spec.Keys!;
            if (spec.Kind == KeyKind.SectionMap)
            {
                // The next part names an entry of the map (e.g. multi_task.tasks.genre.weight); NAME=null removes the entry.
                if (i + 2 == parts.Length && text == "null") { node.Remove(parts[i + 1]); return; }
                if (++i >= parts.Length - 1) throw new UserError($"override '{assignment}': give a key inside '{prefix}.NAME', e.g. {prefix}.NAME.{schema.Keys.First()}=...");
                if (node[parts[i]] is not JsonObject entry) node[parts[i]] = entry = new JsonObject();
                node = entry;
            }
        }
    }

    static JsonArray ParseList(string text)
    {
        var inner = text.Trim();
        if (inner.StartsWith('[') && inner.EndsWith(']')) inner = inner[1..^1];
        var items = inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new JsonArray(items.Select(YamlToJson.Infer).ToArray());
    }

    static void Check(JsonObject obj, IReadOnlyDictionary<string, KeySpec> schema, string prefix, string file, Dictionary<string, int> lines)
    {
        foreach (var (key, value) in obj)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            string where = lines.TryGetValue(path, out int line) ? $"{file}:{line}" : $"{file} (override)";
            if (!schema.TryGetValue(key, out var spec)) throw Unknown(path, key, schema, where);
            if (value is null) continue; // an explicit null means "default"
            string? problem = spec.Kind switch
            {
                KeyKind.Section => value is JsonObject ? null : "expected a section of keys",
                KeyKind.SectionMap => value is JsonObject map && map.All(p => p.Value is JsonObject) ? null : "expected named sections, e.g. NAME: {key: value}",
                KeyKind.String => IsString(value) ? null : "expected text",
                KeyKind.Int => value is JsonValue v && v.TryGetValue(out long _) ? null : "expected an integer",
                KeyKind.Number => YamlToJson.TryNumber(value, out _) ? null : "expected a number",
                KeyKind.Bool => value is JsonValue b && b.TryGetValue(out bool _) ? null : "expected true or false",
                KeyKind.StringList => value is JsonArray a && a.All(x => x is JsonValue) ? null : "expected a list, e.g. [a, b]",
                KeyKind.NumberList => value is JsonArray na && na.All(x => YamlToJson.TryNumber(x, out _)) ? null : "expected a list of numbers",
                KeyKind.StringMap => value is JsonObject m && m.All(p => p.Value is JsonValue) ? null : "expected key: value pairs",
                _ => null,
            };
            if (problem is not null) throw new UserError($"{where}: key '{path}': {problem}, got {value.ToJsonString()}");
            if (spec.Kind == KeyKind.Section) Check((JsonObject)value, spec.Keys!, path, file, lines);
            if (spec.Kind == KeyKind.SectionMap)
                foreach (var (name, entry) in (JsonObject)value) Check((JsonObject)entry!, spec.Keys!, path + "." + name, file, lines);
        }
    }

    static bool IsString(JsonNode value) => value is JsonValue v && (v.TryGetValue(out string? _) || YamlToJson.TryNumber(v, out _));

    static UserError Unknown(string path, string key, IReadOnlyDictionary<string, KeySpec> schema, string where)
    {
        var closest = ClosestName.Find(key, schema.Keys);
        var parent = path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] + "." : "";
        return new UserError($"{where}: unknown key '{path}'" + (closest is null
            ? $" (valid keys here: {string.Join(", ", schema.Keys)})"
            : $" (did you mean '{parent}{closest}'?)"));
    }
}
