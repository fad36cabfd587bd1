using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Generation.Constraints;

/// <summary>The JSON value kinds a schema node allows.</summary>
[Flags]
public enum JsonKinds { None = 0, Object = 1, Array = 2, String = 4, Number = 8, Integer = 16, Boolean = 32, Null = 64, Any = 127 }

/// <summary>One property of an object schema, in declaration order.</summary>
public sealed record JsonProperty(string Name, JsonSchemaNode Schema, bool Required)
{
    /// <summary>The key as written: the name as a compact JSON string, quotes included.</summary>
    public string Key { get; } = JsonSerializer.Serialize(Name);

    /// <summary>The key's UTF-8 bytes, as the decoder matches them.</summary>
    public byte[] KeyBytes => keyBytes ??= System.Text.Encoding.UTF8.GetBytes(Key);
    byte[]? keyBytes;
}

/// <summary>
/// A JSON Schema compiled for constrained decoding: the subset OpenAI's strict structured outputs use (type, one or
/// a list; properties, required, additionalProperties false; items, minItems, maxItems; enum, const; annotations).
/// Objects are written with their properties in declaration order, a required one never skipped; strings and numbers
/// are free. Anything else is refused by name rather than silently ignored.
/// </summary>
public sealed class JsonSchemaNode
{
    public JsonKinds Kinds { get; private init; }
    /// <summary>Object properties in order; null = any keys (a free object, as json_object mode asks).</summary>
    public IReadOnlyList<JsonProperty>? Properties { get; private init; }
    /// <summary>Array items (null = any value).</summary>
    public JsonSchemaNode? Items { get; private init; }
    public int MinItems { get; private init; }
    public int MaxItems { get; private init; } = int.MaxValue;
    /// <summary>enum / const: the allowed values as compact JSON texts; null = not restricted.</summary>
    public IReadOnlyList<string>? Literals { get; private init; }

    /// <summary>Bytes of the shortest value this node accepts (compact JSON).</summary>
    public int MinLength => minLength ??= ComputeMinLength();
    int? minLength;

    /// <summary>Any JSON value.</summary>
    public static JsonSchemaNode Any { get; } = new() { Kinds = JsonKinds.Any };

    /// <summary>Any JSON object (OpenAI's json_object mode).</summary>
    public static JsonSchemaNode AnyObject { get; } = new() { Kinds = JsonKinds.Object };

    /// <summary>The array items' schema, or <see cref="Any"/>.</summary>
    public JsonSchemaNode ItemSchema => Items ?? Any;

    // Keys that describe and change nothing about the accepted values.
    static readonly HashSet<string> Annotations = ["title", "description", "$schema", "$id", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly"];

    /// <summary>Compiles <paramref name="schema"/>; an unsupported or malformed part is a UserError naming its path.</summary>
    public static JsonSchemaNode Parse(JsonNode? schema, string path = "schema")
    {
        if (schema is JsonValue b && b.TryGetValue(out bool all))
            return all ? Any : throw new UserError($"{path}: false accepts no value");
        if (schema is not JsonObject o) throw new UserError($"{path}: expected a schema object");
        foreach (var (key, _) in o)
            if (!Annotations.Contains(key) && key is not ("type" or "properties" or "required" or "additionalProperties" or "items" or "minItems" or "maxItems" or "enum" or "const"))
                throw new UserError($"{path}.{key}: not supported for constrained decoding (supported: type, properties, required, additionalProperties: false, items, minItems, maxItems, enum, const)");

        var kinds = o["type"] switch
        {
            null => JsonKinds.Any,
            JsonValue v when v.TryGetValue(out string? t) => Kind(t, $"{path}.type"),
            JsonArray list when list.Count > 0 => list.Select((t, i) => t is JsonValue tv && tv.TryGetValue(out string? s) ? Kind(s, $"{path}.type[{i}]")
                : throw new UserError($"{path}.type[{i}]: expected a type name")).Aggregate((x, y) => x | y),
            _ => throw new UserError($"{path}.type: expected a type name or a non-empty list of them"),
        };
        if (kinds.HasFlag(JsonKinds.Number)) kinds |= JsonKinds.Integer; // every integer is a number

        List<string>? literals = null;
        if (o["enum"] is { } e)
        {
            if (e is not JsonArray values || values.Count == 0) throw new UserError($"{path}.enum: expected a non-empty list");
            literals = values.Select(x => x?.ToJsonString() ?? "null").Distinct().ToList();
        }
        if (o.ContainsKey("const")) literals = [o["const"]?.ToJsonString() ?? "null"];

        List<JsonProperty>? properties = null;
        if (o["properties"] is { } p)
        {
            if (p is not JsonObject props) throw new UserError($"{path}.properties: expected an object");
            var required = o["required"] switch
            {
                null => new HashSet<string>(),
                JsonArray r => r.Select((x, i) => x is JsonValue xv && xv.TryGetValue(out string? s) ? s : throw new UserError($"{path}.required[{i}]: expected a property name")).ToHashSet(),
                _ => throw new UserError($"{path}.required: expected a list of property names"),
            };
            foreach (var name in required.Where(n => !props.ContainsKey(n)))
                throw new UserError($"{path}.required: '{name}' is not in properties");
            properties = props.Select(kv => new JsonProperty(kv.Key, Parse(kv.Value, $"{path}.properties.{kv.Key}"), required.Contains(kv.Key))).ToList();
        }
        else if (o["required"] is JsonArray { Count: > 0 })
            throw new UserError($"{path}.required: needs properties (constrained decoding writes only declared keys)");
        if (o["additionalProperties"] is { } extra && !(extra is JsonValue ev && ev.TryGetValue(out bool allowed) && (!allowed || properties is null)))
            throw new UserError($"{path}.additionalProperties: only false is supported with properties (strict mode); keys beyond the declared ones cannot be constrained");

        int minItems = o["minItems"] is { } mi ? Count(mi, $"{path}.minItems") : 0;
        int maxItems = o["maxItems"] is { } ma ? Count(ma, $"{path}.maxItems") : int.MaxValue;
        if (maxItems < minItems) throw new UserError($"{path}.maxItems: {maxItems} is below minItems {minItems}");
        return new JsonSchemaNode
        {
            Kinds = kinds,
            Properties = properties,
            Items = o["items"] is { } items ? Parse(items, $"{path}.items") : null,
            MinItems = minItems,
            MaxItems = maxItems,
            Literals = literals,
        };
    }

    static JsonKinds Kind(string? name, string path) => name switch
    {
        "object" => JsonKinds.Object, "array" => JsonKinds.Array, "string" => JsonKinds.String, "number" => JsonKinds.Number,
        "integer" => JsonKinds.Integer, "boolean" => JsonKinds.Boolean, "null" => JsonKinds.Null,
        _ => throw new UserError($"{path}: '{name}' is not a JSON Schema type (object, array, string, number, integer, boolean, null)"),
    };

    static int Count(JsonNode n, string path) =>
        n is JsonValue v && v.TryGetValue(out int c) && c >= 0 ? c : throw new UserError($"{path}: expected a non-negative integer");

    /// <summary>Bytes of the object's remaining required members after property <paramref name="index"/> (each ",\"key\":value").</summary>
    public int RequiredAfter(int index)
    {
        int total = 0;
        for (int i = index + 1; i < Properties!.Count; i++)
            if (Properties[i].Required) total += 1 + MemberLength(i);
        return total;
    }

    /// <summary>Bytes of the shortest "\"key\":value" of property <paramref name="index"/>.</summary>
    public int MemberLength(int index) => Properties![index].KeyBytes.Length + 1 + Properties[index].Schema.MinLength;

    /// <summary>The properties that may come next after <paramref name="next"/> − 1: optional ones up to and including the first required one.</summary>
    public IEnumerable<int> NextCandidates(int next)
    {
        for (int i = next; i < Properties!.Count; i++)
        {
            yield return i;
            if (Properties[i].Required) yield break;
        }
    }

    int ComputeMinLength()
    {
        if (Literals is not null) return Literals.Min(l => System.Text.Encoding.UTF8.GetByteCount(l));
        int best = int.MaxValue;
        if ((Kinds & (JsonKinds.Number | JsonKinds.Integer)) != 0) best = 1;
        if (Kinds.HasFlag(JsonKinds.String)) best = Math.Min(best, 2);
        if ((Kinds & (JsonKinds.Boolean | JsonKinds.Null)) != 0) best = Math.Min(best, 4);
        // Any's items are Any: the item length is only asked for when items are required, so this ends.
        if (Kinds.HasFlag(JsonKinds.Array)) best = Math.Min(best, MinItems == 0 ? 2 : 2 + MinItems * ItemSchema.MinLength + MinItems - 1);
        if (Kinds.HasFlag(JsonKinds.Object))
        {
            int members = 0, count = 0;
            for (int i = 0; Properties is not null && i < Properties.Count; i++)
                if (Properties[i].Required) { members += MemberLength(i); count++; }
            best = Math.Min(best, 2 + members + Math.Max(0, count - 1));
        }
        return best;
    }
}
