using System.Collections;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Serialization;

namespace TuneSharp.Data.Readers;

/// <summary>Streams a Parquet file one row group at a time; the 1-based row number stands in for the line.</summary>
public static class ParquetFileReader
{
    /// <summary>
    /// Reads <paramref name="path"/> lazily: only one row group is in memory at a time. Columns become fields;
    /// lists become JSON arrays and structs JSON objects.
    /// </summary>
    public static IEnumerable<DataRecord> Read(string path)
    {
        using var stream = File.OpenRead(path);
        int groups = RowGroupCount(stream, path);
        long row = 0;
        for (int g = 0; g < groups; g++)
        {
            // The library is async-only; the readers are synchronous enumerables and the CLI has no
            // synchronization context, so blocking here cannot deadlock.
            var result = ParquetSerializer.DeserializeUntypedAsync(stream, null, g).GetAwaiter().GetResult();
            foreach (var values in result.Data)
            {
                row++;
                var fields = new JsonObject();
                foreach (var (name, value) in values) fields[name] = ToNode(value);
                yield return new DataRecord(path, row, fields);
            }
        }
    }

    static int RowGroupCount(Stream stream, string path)
    {
        try
        {
            var reader = ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true).GetAwaiter().GetResult();
            int count = reader.RowGroupCount;
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return count;
        }
        catch (Exception e) when (e is IOException or ParquetException or InvalidDataException)
        {
            throw new UserError($"{path}: not a readable Parquet file: {e.Message}", e);
        }
    }

    /// <summary>Converts a deserialized Parquet value (string, number, list, struct, text memory) to JSON.</summary>
    internal static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        ReadOnlyMemory<char> m => JsonValue.Create(m.ToString()),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        short sh => JsonValue.Create(sh),
        byte by => JsonValue.Create(by),
        float f => JsonValue.Create(f),
        double d => JsonValue.Create(d),
        decimal dec => JsonValue.Create(dec),
        DateTime dt => JsonValue.Create(dt),
        DateTimeOffset dto => JsonValue.Create(dto),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        IDictionary<string, object?> map => ToObject(map),
        IDictionary dict => ToObject(dict),
        IEnumerable list => ToArray(list),
        _ => JsonValue.Create(value.ToString()),
    };

    static JsonObject ToObject(IDictionary<string, object?> map)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in map) obj[k] = ToNode(v);
        return obj;
    }

    static JsonObject ToObject(IDictionary dict)
    {
        var obj = new JsonObject();
        foreach (DictionaryEntry e in dict) obj[e.Key.ToString() ?? ""] = ToNode(e.Value);
        return obj;
    }

    static JsonArray ToArray(IEnumerable list)
    {
        var arr = new JsonArray();
        foreach (var item in list) arr.Add(ToNode(item));
        return arr;
    }
}
