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
            foreach (var values in RowGroup(stream, path, g))
            {
                row++;
                var fields = new JsonObject();
                foreach (var (name, value) in values) fields[name] = ToNode(value);
                yield return new DataRecord(path, row, fields);
            }
        }
    }

    static IList<Dictionary<string, object>> RowGroup(Stream stream, string path, int group) =>
        WithinTime(() => ParquetSerializer.DeserializeUntypedAsync(stream, null, group).GetAwaiter().GetResult().Data,
            RowGroupTimeLimit, path, $"row group {group + 1}");

    /// <summary>Longest a footer parse may take (a real one takes milliseconds).</summary>
    public static readonly TimeSpan FooterTimeLimit = TimeSpan.FromSeconds(10);

    /// <summary>Longest one row group may take to decode (a real one, at most a few hundred MB, takes seconds).</summary>
    public static readonly TimeSpan RowGroupTimeLimit = TimeSpan.FromSeconds(120);

    // Parquet.Net 6.1.0 can loop forever on a corrupt file (found by fuzzing, docs/RELIABILITY.md): skipping an
    // unknown Thrift struct reads field headers until a STOP byte, and past the end of its input every byte reads
    // as 0xFF, never STOP. A thread cannot be stopped in .NET, so the parse runs on a thread of its own; one that
    // has not finished in time is abandoned (it spins until the process exits, which the CLI does on the error).
    static T WithinTime<T>(Func<T> read, TimeSpan limit, string path, string what)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = read(); }
            catch (Exception e) { error = e; }
        }) { IsBackground = true, Name = "parquet" };
        thread.Start();
        if (!thread.Join(limit))
            throw new UserError($"{path}: not a readable Parquet file: {what} did not parse within {limit.TotalSeconds:0} s (corrupt metadata)");
        if (error is null) return result;
        if (error is UserError || !Unreadable(error)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        throw new UserError($"{path}: not a readable Parquet file: {what}: {error.Message.Split('\n')[0].Trim()}", error);
    }

    // What Parquet.Net throws on a corrupt file: its own exception, or a framework one from the bytes it decodes.
    // (ThriftProtocolException, for one, derives from Exception only.)
    static bool Unreadable(Exception e) => e is IOException or ParquetException or InvalidDataException or NotSupportedException
        or ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or FormatException
        || e.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true;

    static int RowGroupCount(Stream stream, string path) => WithinTime(() =>
    {
        var reader = ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true).GetAwaiter().GetResult();
        int count = reader.RowGroupCount;
        reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return count;
    }, FooterTimeLimit, path, "the footer");

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
