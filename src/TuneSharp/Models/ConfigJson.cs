using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Models;

/// <summary>
/// Typed access to a Hugging Face <c>config.json</c>. Every error names the file and the key,
/// e.g. "config.json: key 'hidden_size': expected an integer, got string".
/// </summary>
public sealed class ConfigJson
{
    /// <summary>The parsed JSON object.</summary>
    public JsonObject Root { get; }

    /// <summary>The file it came from (used in error messages).</summary>
    public string Path { get; }

    public ConfigJson(JsonObject root, string path) { Root = root; Path = path; }

    /// <summary>Reads and parses <paramref name="path"/>; a missing file or invalid JSON is a <see cref="UserError"/>.</summary>
    public static ConfigJson Load(string path) => new(IO.JsonFile.ReadObject(path), path);

    public bool Has(string key) => Root[key] is not null;

    public string? String(string key) => Root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        var other => throw Bad(key, "a string", other),
    };

    public int Int(string key) => IntOrNull(key) ?? throw new UserError($"{Path}: key '{key}' is required");
    public int Int(string key, int fallback) => IntOrNull(key) ?? fallback;

    /// <summary>
    /// A required count (layers, heads) in [1, <paramref name="max"/>]: modules are built one per unit before any
    /// weight is read, so the number itself must be bounded.
    /// </summary>
    public int Count(string key, int max = 4096)
    {
        int n = Int(key);
        return n is >= 1 && n <= max ? n : throw new UserError($"{Path}: key '{key}': {n} is outside 1..{max}");
    }

    public int? IntOrNull(string key)
    {
        var node = Root[key];
        if (node is null) return null;
        if (node is JsonValue v)
        {
            if (v.TryGetValue(out int i)) return i;
            if (v.TryGetValue(out long l) && l is >= int.MinValue and <= int.MaxValue) return (int)l;
            if (v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue) return (int)d;
        }
        throw Bad(key, "an integer", node);
    }

    public double Double(string key, double fallback) => DoubleOrNull(key) ?? fallback;

    public double? DoubleOrNull(string key) => DoubleOf(Root, key);

    internal double? DoubleOf(JsonObject obj, string key)
    {
        var node = obj[key];
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue(out double d)) return d;
        throw Bad(key, "a number", node);
    }

    public bool Bool(string key, bool fallback) => Root[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue(out bool b) => b,
        var other => throw Bad(key, "true or false", other),
    };

    /// <summary>An int or a list of ints (e.g. <c>eos_token_id</c>), as a list; empty when absent or null.</summary>
    public IReadOnlyList<int> IntList(string key)
    {
        var node = Root[key];
        if (node is null) return [];
        if (node is JsonArray a) return a.Select((n, i) => n is JsonValue v && v.TryGetValue(out int x) ? x : throw Bad($"{key}[{i}]", "an integer", n)).ToList();
        return [Int(key)];
    }

    public JsonObject? Object(string key) => Root[key] switch
    {
        null => null,
        JsonObject o => o,
        var other => throw Bad(key, "an object", other),
    };

    /// <summary>
    /// <paramref name="config"/> with every property whose name is a key present in this config.json read from it
    /// (int, double, bool, string, their nullable forms, and int lists such as eos_token_id); absent keys keep the
    /// values <paramref name="config"/> was built with, which are therefore the defaults. Properties of other types
    /// (rope settings, id2label) are left to the caller. Wrong JSON types are a <see cref="UserError"/> naming the key.
    /// </summary>
    public T Bind<T>(T config) where T : ModelConfig
    {
        var bound = config with { };
        foreach (var p in typeof(T).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (p.SetMethod is null || !Has(p.Name)) continue;
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            object? value =
                t == typeof(int) ? Int(p.Name) :
                t == typeof(double) ? DoubleOrNull(p.Name) :
                t == typeof(bool) ? Bool(p.Name, false) :
                t == typeof(string) ? String(p.Name) :
                t == typeof(IReadOnlyList<int>) ? IntList(p.Name) :
                null;
            if (value is not null) p.SetValue(bound, value);
        }
        return (T)bound;
    }

    UserError Bad(string key, string expected, JsonNode? got) =>
        new($"{Path}: key '{key}': expected {expected}, got {got?.GetValueKind().ToString().ToLowerInvariant() ?? "null"} {got?.ToJsonString()}");
}
