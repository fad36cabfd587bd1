using System.Text.Json.Nodes;
using TuneSharp.Data;

namespace TuneSharp.Tests.Data.Cleaning;

/// <summary>Builds DataRecords for cleaning tests.</summary>
static class Rows
{
    public static DataRecord Text(string text, long line = 1, string file = "in.jsonl") =>
        new(file, line, new JsonObject { ["text"] = text });

    public static IEnumerable<DataRecord> Texts(params string[] texts) =>
        texts.Select((t, i) => Text(t, i + 1));

    public static string TextOf(DataRecord r) => (string)r.Fields["text"]!;
}
