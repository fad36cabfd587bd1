using System.Text.Json.Nodes;

namespace TuneSharp.Data.Shapes;

/// <summary>Guesses a record's shape from the fields it has (after a <see cref="FieldNames"/>).</summary>
public static class ShapeDetector
{
    /// <summary>
    /// The shape whose defining fields are present, most specific first: chat (messages), instruction
    /// (instruction + output), prompt/completion, tagging (tokens + tags), classification (text + label),
    /// raw text (text). Null when none fits.
    /// </summary>
    public static RecordShape? Detect(JsonObject fields, FieldNames? map = null)
    {
        map ??= FieldNames.Default;
        if (fields.ContainsKey(map.Messages)) return RecordShape.Chat;
        if (fields.ContainsKey(map.Instruction) && fields.ContainsKey(map.Output)) return RecordShape.Instruction;
        if (fields.ContainsKey(map.Prompt) && fields.ContainsKey(map.Completion)) return RecordShape.PromptCompletion;
        if (fields.ContainsKey(map.Tokens) && fields.ContainsKey(map.Tags)) return RecordShape.Tagging;
        if (fields.ContainsKey(map.Text) && fields.ContainsKey(map.Label)) return RecordShape.Classification;
        if (fields.ContainsKey(map.Text)) return RecordShape.Text;
        return null;
    }

    /// <summary>The shape of the first record in <paramref name="records"/> that has one, or null.</summary>
    public static RecordShape? DetectFirst(IEnumerable<DataRecord> records, FieldNames? map = null)
    {
        foreach (var r in records)
            if (Detect(r.Fields, map) is { } shape) return shape;
        return null;
    }
}
