using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.Data;

namespace TuneSharp.Tasks;

/// <summary>Typed reads of a record's fields; every error names the file, line and field.</summary>
internal static class RecordFields
{
    public static string Where(DataRecord r, string field) => $"{r.File}:{r.Line}: field '{field}'";

    public static JsonNode Required(DataRecord r, string field) =>
        r.Fields[field] ?? throw new UserError($"{Where(r, field)}: is missing");

    public static bool Has(DataRecord r, string field) => r.Fields[field] is not null;

    public static string String(DataRecord r, string field) => Required(r, field) is JsonValue v && v.TryGetValue(out string? s)
        ? s : throw new UserError($"{Where(r, field)}: expected a string, got {Kind(r.Fields[field])}");

    /// <summary>A string, or "" when the field is absent or null (optional fields such as Alpaca's input).</summary>
    public static string OptionalString(DataRecord r, string field) => Has(r, field) ? String(r, field) : "";

    public static JsonArray Array(DataRecord r, string field) => Required(r, field) as JsonArray
        ?? throw new UserError($"{Where(r, field)}: expected a list, got {Kind(r.Fields[field])}");

    public static IReadOnlyList<string> Strings(DataRecord r, string field)
    {
        var list = Array(r, field);
        var result = new string[list.Count];
        for (int i = 0; i < list.Count; i++)
            result[i] = list[i] is JsonValue v && v.TryGetValue(out string? s)
                ? s : throw new UserError($"{Where(r, field)}[{i}]: expected a string, got {Kind(list[i])}");
        return result;
    }

    public static string Kind(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>Materialises a split; an empty training split is a user error.</summary>
    public static List<DataRecord> Load(IEnumerable<DataRecord>? records, Split split)
    {
        var list = records?.ToList() ?? [];
        if (split == Split.Train && list.Count == 0) throw new UserError("training data: no records (the training split is empty)");
        return list;
    }
}
