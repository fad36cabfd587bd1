using System.Text;
using System.Text.Json.Nodes;

namespace TuneSharp.Data.Writing;

/// <summary>
/// Writes a JSONL file atomically: lines go to a temporary file beside the target, which replaces the target
/// only on <see cref="Commit"/>. A crash or exception leaves the old file (or none), never half a file.
/// Kept beside <see cref="IO.AtomicFile"/> because callers append records one at a time across their own loops
/// (AtomicFile takes the whole content in one callback); the commit follows the same flush-then-rename rule.
/// </summary>
public sealed class AtomicJsonlWriter : IDisposable
{
    readonly string path;
    readonly string temp;
    readonly StreamWriter writer;
    bool committed;

    /// <summary>Starts writing <paramref name="path"/>, creating its folder if needed.</summary>
    public AtomicJsonlWriter(string path)
    {
        this.path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(this.path)!);
        temp = Path.Combine(Path.GetDirectoryName(this.path)!, $".{Path.GetFileName(this.path)}.{Guid.NewGuid():N}.tmp");
        writer = new StreamWriter(temp, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
    }

    /// <summary>Number of lines written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Appends one object as a line.</summary>
    public void Write(JsonObject obj)
    {
        writer.WriteLine(obj.ToJsonString(JsonOutput.Compact));
        Count++;
    }

    /// <summary>Flushes and moves the temporary file over the target.</summary>
    public void Commit()
    {
        writer.Flush();
        ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
        writer.Dispose();
        File.Move(temp, path, overwrite: true);
        committed = true;
    }

    /// <summary>Removes the temporary file unless committed.</summary>
    public void Dispose()
    {
        if (committed) return;
        writer.Dispose();
        if (File.Exists(temp)) File.Delete(temp);
    }

    /// <summary>Writes all <paramref name="objects"/> to <paramref name="path"/> atomically; returns the count.</summary>
    public static long WriteAll(string path, IEnumerable<JsonObject> objects)
    {
        using var w = new AtomicJsonlWriter(path);
        foreach (var o in objects) w.Write(o);
        w.Commit();
        return w.Count;
    }
}
