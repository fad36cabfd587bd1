using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Server;

/// <summary>
/// Typed reads of request fields that turn every wrong type, out-of-range or oversized value into a 400 naming the
/// field (never an exception that would become a 500).
/// </summary>
public static class JsonFields
{
    /// <summary>Parses a request body: it must be a JSON object (invalid UTF-8 and bad JSON are 400s).</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> body)
    {
        // Strings are transcoded lazily, so bad UTF-8 inside one would only fail later: check the whole body now.
        if (!System.Text.Unicode.Utf8.IsValid(body)) throw new ApiException(400, "The request body is not valid UTF-8.");
        JsonNode? node;
        // A duplicated key fails here: System.Text.Json would keep both and throw an ArgumentException (a 500) when
        // the route first reads the object (found by bench serve-abuse, docs/RELIABILITY.md).
        try { node = JsonNode.Parse(body, documentOptions: IO.JsonFile.Options()); }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new ApiException(400, $"We could not parse the JSON body of your request: {e.Message}");
        }
        if (IO.JsonFile.LoneSurrogate(node) is { } where)
            throw new ApiException(400, $"The string at {where} holds an unpaired UTF-16 surrogate escape (such as \\ud800), which is no character.");
        return node as JsonObject ?? throw new ApiException(400, "The request body must be a JSON object.");
    }

    /// <summary>A required string.</summary>
    public static string RequiredString(JsonObject o, string name) =>
        String(o, name) ?? throw ApiException.BadField(name, "required field is missing");

    /// <summary>An optional string (null when absent or null).</summary>
    public static string? String(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw ApiException.BadField(name, $"expected a string, got {Kind(other)}"),
    };

    /// <summary>An optional boolean.</summary>
    public static bool? Bool(JsonObject o, string name) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        var other => throw ApiException.BadField(name, $"expected a boolean, got {Kind(other)}"),
    };

    /// <summary>An optional integer in [min, max].</summary>
    public static long? Int(JsonObject o, string name, long min, long max)
    {
        var node = o[name];
        if (node is null) return null;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            throw ApiException.BadField(name, $"expected an integer, got {Kind(node)}");
        // 5.0 counts as 5, as in Python's JSON; 1e30 and 2.5 do not fit.
        if (v.TryGetValue(out long l) || (v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 && (l = (long)d) == d))
        {
            if (l < min || l > max) throw ApiException.BadField(name, $"must be between {min} and {max}, got {l}");
            return l;
        }
        throw ApiException.BadField(name, $"expected an integer between {min} and {max}, got {v.ToJsonString()}");
    }

    /// <summary>An optional finite number in [min, max].</summary>
    public static double? Number(JsonObject o, string name, double min, double max)
    {
        var node = o[name];
        if (node is null) return null;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out double d) || !double.IsFinite(d))
            throw ApiException.BadField(name, $"expected a number, got {Kind(node)}");
        if (d < min || d > max) throw ApiException.BadField(name, $"must be between {min} and {max}, got {d}");
        return d;
    }

    /// <summary>A string or a list of strings (e.g. <c>stop</c>, <c>input</c>), at most <paramref name="maxCount"/>.</summary>
    public static IReadOnlyList<string>? StringOrList(JsonObject o, string name, int maxCount)
    {
        var node = o[name];
        switch (node)
        {
            case null: return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String: return [v.GetValue<string>()];
            case JsonArray a:
                if (a.Count > maxCount) throw ApiException.BadField(name, $"at most {maxCount} items, got {a.Count}");
                return a.Select((item, i) => item is JsonValue s && s.GetValueKind() == JsonValueKind.String
                    ? s.GetValue<string>()
                    : throw ApiException.BadField(name, $"item {i}: expected a string, got {Kind(item)}")).ToList();
            default: throw ApiException.BadField(name, $"expected a string or a list of strings, got {Kind(node)}");
        }
    }

    /// <summary>The JSON kind of a node, for messages.</summary>
    public static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "a value",
        },
    };
}
