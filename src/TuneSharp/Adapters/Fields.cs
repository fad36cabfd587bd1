using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Adapters;

/// <summary>Typed reads of an adapter_config.json object; every error names the file and the key.</summary>
internal sealed class Fields(JsonObject root, string source)
{
    /// <summary>True unless the node is absent or a default: null, false, "", {} or [].</summary>
    public static bool IsSet(JsonNode? node) => node switch
    {
        null => false,
        JsonObject o => o.Count > 0,
        JsonArray a => a.Count > 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => false,
        JsonValue v when v.TryGetValue(out string? s) => s.Length > 0,
        _ => true,
    };

    public string? String(string key) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        var other => throw Bad(key, "a string", other),
    };

    public bool? Bool(string key) => root[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        var other => throw Bad(key, "true or false", other),
    };

    public double? Double(string key) => root[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        var other => throw Bad(key, "a number", other),
    };

    public int? Int(string key) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out int i) => i,
        var other => throw Bad(key, "an integer", other),
    };

    /// <summary>A string list; a single string counts as a one-element list (PEFT accepts both for layers_pattern).</summary>
    public IReadOnlyList<string>? Strings(string key) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => [s],
        JsonArray a => a.Select(n => n is JsonValue e && e.TryGetValue(out string? s) ? s : throw Bad(key, "a list of strings", root[key])).ToList(),
        var other => throw Bad(key, "a list of strings", other),
    };

    /// <summary>An integer list; a single integer counts as a one-element list (PEFT accepts both).</summary>
    public IReadOnlyList<int>? Ints(string key) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out int i) => [i],
        JsonArray a => a.Select(n => n is JsonValue e && e.TryGetValue(out int i) ? i : throw Bad(key, "a list of integers", root[key])).ToList(),
        var other => throw Bad(key, "a list of integers", other),
    };

    /// <summary>target_modules / exclude_modules: a list of names or a regex string.</summary>
    public TargetModules? Targets(string key) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => TargetModules.FromPattern(s),
        JsonArray => TargetModules.FromNames(Strings(key)!),
        var other => throw Bad(key, "a list of module names or a regex string", other),
    };

    UserError Bad(string key, string expected, JsonNode? got) =>
        new($"{source}: key '{key}': expected {expected}, got {got?.ToJsonString() ?? "null"}");
}
