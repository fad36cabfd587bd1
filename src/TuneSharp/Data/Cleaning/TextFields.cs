using System.Text.Json.Nodes;

namespace TuneSharp.Data.Cleaning;

/// <summary>
/// Finds the string values of a row that cleaning works on, and writes cleaned values back. A selected field
/// covers every string under it (so "messages" covers each message's content), except structural keys
/// (role, type, id) whose values are vocabulary, not text.
/// </summary>
public static class TextFields
{
    static readonly HashSet<string> StructuralKeys = new(StringComparer.Ordinal) { "role", "type", "id", "from_role" };

    /// <summary>Known row shapes and their text fields, tried in order; the first whose fields are all present wins.</summary>
    static readonly string[][] Shapes =
    [
        ["messages"], ["conversations"], ["prompt", "chosen", "rejected"], ["instruction", "input", "output"],
        ["instruction", "output"], ["prompt", "completion"], ["question", "answer"], ["text"],
    ];

    /// <summary>The selected fields of a row: the given ones, or the row shape's text fields, or all string fields.</summary>
    public static IReadOnlyList<string> Select(JsonObject row, IReadOnlyList<string>? fields)
    {
        if (fields is { Count: > 0 }) return fields;
        foreach (var shape in Shapes)
            if (shape.All(row.ContainsKey)) return shape;
        return [.. row.Select(p => p.Key)];
    }

    /// <summary>The string values under the selected fields, in a stable order (field order, then document order).</summary>
    public static List<string> Read(JsonObject row, IReadOnlyList<string> fields)
    {
        var values = new List<string>();
        foreach (var f in fields)
            if (row.TryGetPropertyValue(f, out var node)) Walk(node, v => { values.Add(v); return v; });
        return values;
    }

    /// <summary>A deep copy of the row with the selected strings replaced, in the order <see cref="Read"/> returned them.</summary>
    public static JsonObject Write(JsonObject row, IReadOnlyList<string> fields, IReadOnlyList<string> values)
    {
        var copy = (JsonObject)row.DeepClone();
        int i = 0;
        foreach (var f in fields)
        {
            if (!copy.TryGetPropertyValue(f, out var node)) continue;
            var replaced = Walk(node, _ => values[i++]);
            if (!ReferenceEquals(replaced, node)) copy[f] = replaced;
        }
        return copy;
    }

    /// <summary>Visits strings depth-first; returns the node, or a new string node when the visitor changed it.</summary>
    static JsonNode? Walk(JsonNode? node, Func<string, string> visit)
    {
        switch (node)
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                var n = visit(s);
                return ReferenceEquals(n, s) || n == s ? node : JsonValue.Create(n);
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                {
                    var r = Walk(a[i], visit);
                    if (!ReferenceEquals(r, a[i])) a[i] = r;
                }
                return node;
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (StructuralKeys.Contains(key)) continue;
                    var child = o[key];
                    var r = Walk(child, visit);
                    if (!ReferenceEquals(r, child)) o[key] = r;
                }
                return node;
            default:
                return node;
        }
    }
}
