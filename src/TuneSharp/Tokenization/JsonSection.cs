using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Tokenization;

/// <summary>
/// A JSON object inside a named file, that knows its own path ("pre_tokenizer.pretokenizers[1]"), so every
/// mistake is reported as one line naming the file and the key.
/// </summary>
internal readonly struct JsonSection(JsonObject node, string file, string path)
{
    public JsonObject Node => node;
    public string File => file;
    public string Path => path;

    /// <summary>Parses a whole file; invalid JSON or a missing file is a <see cref="UserError"/>.</summary>
    public static JsonSection Parse(string filePath)
    {
        var name = System.IO.Path.GetFileName(filePath);
        return new JsonSection(IO.JsonFile.ReadObject(filePath, name, allowTrailingCommas: true), name, "");
    }

    public string KeyPath(string key) => path.Length == 0 ? key : $"{path}.{key}";

    public UserError Error(string key, string message) => new($"{file}: {KeyPath(key)} {message}");

    public bool Has(string key) => node[key] is not null;

    public string? OptString(string key) => node[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw Error(key, "must be a string"),
    };

    public string String(string key) => OptString(key) ?? throw Error(key, "is missing");

    public bool Bool(string key, bool fallback) => node[key] switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => throw Error(key, "must be true or false"),
    };

    public bool? OptBool(string key) => node[key] is null ? null : Bool(key, false);

    public int? OptInt(string key) => node[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out int i) => i,
        JsonValue v when v.TryGetValue(out double d) && d == Math.Floor(d) => d > int.MaxValue ? int.MaxValue : (int)d,
        _ => throw Error(key, "must be an integer"),
    };

    public JsonSection? OptObject(string key) => node[key] switch
    {
        null => null,
        JsonObject o => new JsonSection(o, file, KeyPath(key)),
        _ => throw Error(key, "must be an object"),
    };

    public JsonSection Object(string key) => OptObject(key) ?? throw Error(key, "is missing");

    public JsonArray Array(string key) => node[key] switch
    {
        JsonArray a => a,
        null => throw Error(key, "is missing"),
        _ => throw Error(key, "must be a list"),
    };

    /// <summary>The objects of a list, each with its indexed path.</summary>
    public IEnumerable<JsonSection> Objects(string key)
    {
        var array = Array(key);
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject o) throw Error($"{key}[{i}]", "must be an object");
            yield return new JsonSection(o, file, $"{KeyPath(key)}[{i}]");
        }
    }

    /// <summary>The component's "type", checked against what is supported.</summary>
    public string Type(params string[] supported)
    {
        var type = String("type");
        if (!supported.Contains(type))
            throw Error("type", $"'{type}' is not supported (supported: {string.Join(", ", supported)})");
        return type;
    }
}
