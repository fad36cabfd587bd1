using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.Data.Validation;

namespace TuneSharp.Data.Readers;

/// <summary>Streams a JSONL file: one JSON object per line, blank lines skipped.</summary>
public static class JsonlReader
{
    /// <summary>
    /// Reads <paramref name="path"/> lazily. A line that is not a JSON object goes to
    /// <paramref name="onProblem"/> (or throws <see cref="UserError"/> when it is null).
    /// </summary>
    public static IEnumerable<DataRecord> Read(string path, Action<DataProblem>? onProblem = null)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        long line = 0;
        string? text;
        while ((text = reader.ReadLine()) != null)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var record = Parse(path, line, text, onProblem);
            if (record != null) yield return record;
        }
    }

    static DataRecord? Parse(string path, long line, string text, Action<DataProblem>? onProblem)
    {
        JsonNode? node;
        try
        {
            // A duplicated key fails here, not later as an ArgumentException when the record is read.
            node = JsonNode.Parse(text, documentOptions: IO.JsonFile.Options());
        }
        catch (JsonException e)
        {
            ReadProblems.Report(onProblem, new DataProblem(path, line, null, ProblemCodes.InvalidJson, "invalid JSON: " + FirstSentence(e.Message)));
            return null;
        }
        if (node is JsonObject obj) return new DataRecord(path, line, obj);
        ReadProblems.Report(onProblem, new DataProblem(path, line, null, ProblemCodes.NotAnObject,
            $"expected a JSON object, found {(node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant())}"));
        return null;
    }

    // System.Text.Json messages repeat the path and byte position after the first sentence; the line is ours already.
    static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..(i + 1)] : message;
    }
}
