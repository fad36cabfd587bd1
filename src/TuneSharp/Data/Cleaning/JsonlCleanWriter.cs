using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Data.Cleaning;

/// <summary>
/// Writes a cleaning run to JSONL: kept rows to the output file, removed rows to a side file with
/// <c>_removed_reason</c>, <c>_source_file</c> and <c>_source_line</c> added, so nothing is lost. Both files are
/// written to temporary files in the target folder and renamed into place by <see cref="Commit"/>; disposing
/// without committing deletes the temporaries and leaves any existing outputs untouched.
/// </summary>
public sealed class JsonlCleanWriter : IDisposable
{
    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    readonly string keptPath, removedPath, keptTemp, removedTemp;
    readonly FileStream keptStream, removedStream;
    readonly Utf8JsonWriter keptWriter, removedWriter;
    bool committed, disposed;

    /// <summary>Opens temporaries for <paramref name="keptPath"/> and the side file (default: OUT with ".removed.jsonl").</summary>
    public JsonlCleanWriter(string keptPath, string? removedPath = null)
    {
        this.keptPath = Path.GetFullPath(keptPath);
        this.removedPath = Path.GetFullPath(removedPath ?? DefaultRemovedPath(keptPath));
        if (this.keptPath == this.removedPath) throw new UserError($"{keptPath}: the removed-rows file must differ from the output");
        keptTemp = TempFor(this.keptPath);
        removedTemp = TempFor(this.removedPath);
        try
        {
            keptStream = new FileStream(keptTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            removedStream = new FileStream(removedTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(keptTemp);
            throw new UserError($"{keptPath}: cannot write output ({e.Message})", e);
        }
        keptWriter = new Utf8JsonWriter(keptStream, WriterOptions);
        removedWriter = new Utf8JsonWriter(removedStream, WriterOptions);
    }

    /// <summary>The output path of kept rows.</summary>
    public string KeptPath => keptPath;

    /// <summary>The side file of removed rows.</summary>
    public string RemovedPath => removedPath;

    /// <summary>OUT.jsonl → OUT.removed.jsonl (any other name: name + ".removed.jsonl").</summary>
    public static string DefaultRemovedPath(string keptPath) =>
        (keptPath.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? keptPath[..^6] : keptPath) + ".removed.jsonl";

    /// <summary>Writes a kept row.</summary>
    public void Keep(DataRecord record) => WriteLine(keptWriter, keptStream, record.Fields, null);

    /// <summary>Writes a removed row with its reason and source.</summary>
    public void Remove(DataRecord record, string reason) => WriteLine(removedWriter, removedStream, record.Fields, (record, reason));

    /// <summary>Flushes and renames both temporaries into place.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        keptWriter.Flush();
        removedWriter.Flush();
        keptStream.Flush(flushToDisk: true);
        removedStream.Flush(flushToDisk: true);
        keptWriter.Dispose(); removedWriter.Dispose();
        keptStream.Dispose(); removedStream.Dispose();
        // The side file first: if the second rename fails, the old output is still whole.
        File.Move(removedTemp, removedPath, overwrite: true);
        File.Move(keptTemp, keptPath, overwrite: true);
        committed = true;
        disposed = true;
    }

    /// <summary>Cleans <paramref name="input"/> into the two files and commits them; returns the report.</summary>
    public static CleanReport CleanToFiles(IEnumerable<DataRecord> input, string keptPath, string? removedPath, CleanOptions options)
    {
        using var writer = new JsonlCleanWriter(keptPath, removedPath);
        var report = DataCleaner.Clean(input, writer.Keep, writer.Remove, options);
        writer.Commit();
        return report;
    }

    /// <summary>Deletes uncommitted temporaries.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        keptWriter.Dispose(); removedWriter.Dispose();
        keptStream.Dispose(); removedStream.Dispose();
        if (!committed) { TryDelete(keptTemp); TryDelete(removedTemp); }
    }

    static void WriteLine(Utf8JsonWriter writer, FileStream stream, JsonObject fields, (DataRecord Record, string Reason)? removal)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in fields)
        {
            // A row that was already removed once (re-cleaning a side file) gets fresh provenance fields.
            if (removal != null && key is "_removed_reason" or "_source_file" or "_source_line") continue;
            writer.WritePropertyName(key);
            if (value is null) writer.WriteNullValue(); else value.WriteTo(writer);
        }
        if (removal is { } r)
        {
            writer.WriteString("_removed_reason", r.Reason);
            writer.WriteString("_source_file", r.Record.File);
            writer.WriteNumber("_source_line", r.Record.Line);
        }
        writer.WriteEndObject();
        writer.Flush();
        writer.Reset();
        stream.WriteByte((byte)'\n');
    }

    static string TempFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", "." + Path.GetFileName(path) + "." +
            Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..8] + ".tmp");

    static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
