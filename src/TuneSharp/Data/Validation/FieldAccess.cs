using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Data.Validation;

/// <summary>Reads typed fields from a record, reporting missing, empty and wrongly typed ones.</summary>
internal sealed class FieldAccess(DataRecord record, List<DataProblem> problems)
{
    public DataRecord Record => record;

    public void Report(string? field, string code, string message, ProblemSeverity severity = ProblemSeverity.Error) =>
        problems.Add(new DataProblem(record.File, record.Line, field, code, message, severity));

    /// <summary>A required non-empty string field; null (and a problem) otherwise.</summary>
    public string? RequiredString(string name, bool allowEmpty = false) =>
        String(record.Fields, name, name, required: true, allowEmpty);

    /// <summary>A string field inside <paramref name="obj"/> at path <paramref name="path"/>.</summary>
    public string? String(JsonObject obj, string name, string path, bool required, bool allowEmpty)
    {
        if (!obj.TryGetPropertyValue(name, out var node))
        {
            if (required) Report(path, ProblemCodes.MissingField, "required field is missing");
            return null;
        }
        if (node is null)
        {
            if (required) Report(path, ProblemCodes.MissingField, "required field is null");
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.String)
        {
            Report(path, ProblemCodes.WrongType, $"expected a string, found {Kind(node)}");
            return null;
        }
        var s = node.GetValue<string>();
        if (!allowEmpty && string.IsNullOrWhiteSpace(s))
        {
            Report(path, ProblemCodes.EmptyField, "field is empty");
            return null;
        }
        return s;
    }

    /// <summary>A required non-empty array of strings; null (and problems) otherwise.</summary>
    public List<string>? RequiredStringArray(string name)
    {
        if (!record.Fields.TryGetPropertyValue(name, out var node) || node is null)
        {
            Report(name, ProblemCodes.MissingField, "required field is missing");
            return null;
        }
        if (node is not JsonArray array)
        {
            Report(name, ProblemCodes.WrongType, $"expected an array of strings, found {Kind(node)}");
            return null;
        }
        if (array.Count == 0)
        {
            Report(name, ProblemCodes.EmptyField, "array is empty");
            return null;
        }
        var list = new List<string>(array.Count);
        bool ok = true;
        for (int i = 0; i < array.Count; i++)
        {
            var item = array[i];
            if (item is null || item.GetValueKind() != JsonValueKind.String)
            {
                Report($"{name}[{i}]", ProblemCodes.WrongType, $"expected a string, found {Kind(item)}");
                ok = false;
                continue;
            }
            list.Add(item.GetValue<string>());
        }
        return ok ? list : null;
    }

    /// <summary>The JSON type of a node in words, for messages.</summary>
    public static string Kind(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
