using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Data.Validation;

/// <summary>Checks a classification label: a name, an index, or a non-empty list of them (multi-label).</summary>
internal static class LabelChecker
{
    /// <summary>The label names of <paramref name="node"/> (indices mapped through the label set when known), or null with problems reported.</summary>
    public static List<string>? Check(FieldAccess access, string field, JsonNode? node, IReadOnlyList<string>? labelSet, HashSet<string>? labelNames)
    {
        if (node is JsonArray list)
        {
            if (list.Count == 0) { access.Report(field, ProblemCodes.EmptyField, "multi-label list is empty"); return null; }
            var names = new List<string>(list.Count);
            for (int i = 0; i < list.Count; i++)
                if (One(access, $"{field}[{i}]", list[i], labelSet, labelNames) is { } name) names.Add(name);
            return names.Count == list.Count ? names : null;
        }
        return One(access, field, node, labelSet, labelNames) is { } single ? [single] : null;
    }

    static string? One(FieldAccess access, string field, JsonNode? node, IReadOnlyList<string>? labelSet, HashSet<string>? labelNames)
    {
        switch (node?.GetValueKind())
        {
            case JsonValueKind.String:
                var name = node.GetValue<string>();
                if (string.IsNullOrWhiteSpace(name)) { access.Report(field, ProblemCodes.EmptyField, "label is empty"); return null; }
                if (labelNames != null && !labelNames.Contains(name))
                {
                    access.Report(field, ProblemCodes.UnknownLabel, $"label '{name}' is not in the label set ({string.Join(", ", labelSet!)})");
                    return null;
                }
                return name;
            case JsonValueKind.Number:
                if (!node.AsValue().TryGetValue<long>(out var index))
                {
                    access.Report(field, ProblemCodes.WrongType, $"label index {node.ToJsonString()} is not an integer");
                    return null;
                }
                if (labelSet == null) return index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (index < 0 || index >= labelSet.Count)
                {
                    access.Report(field, ProblemCodes.UnknownLabel, $"label index {index} is outside the label set (0..{labelSet.Count - 1})");
                    return null;
                }
                return labelSet[(int)index];
            case null or JsonValueKind.Null:
                access.Report(field, ProblemCodes.MissingField, "label is null");
                return null;
            default:
                access.Report(field, ProblemCodes.WrongType, $"expected a label name, index or list, found {FieldAccess.Kind(node)}");
                return null;
        }
    }
}
