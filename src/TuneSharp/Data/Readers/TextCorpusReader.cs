using System.Text;
using System.Text.Json.Nodes;

namespace TuneSharp.Data.Readers;

/// <summary>
/// Streams raw text: a .txt file, or every .txt file under a folder (in ordinal path order, so runs are
/// reproducible). Each record is <c>{text}</c>: a whole document, a paragraph or a line (see <see cref="TextUnit"/>).
/// </summary>
public static class TextCorpusReader
{
    /// <summary>Reads the file or folder at <paramref name="path"/> lazily.</summary>
    public static IEnumerable<DataRecord> Read(string path, TextUnit unit = TextUnit.Document)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [path];
        foreach (var file in files)
            foreach (var record in ReadFile(file, unit))
                yield return record;
    }

    static IEnumerable<DataRecord> ReadFile(string file, TextUnit unit)
    {
        using var reader = new StreamReader(file, Encoding.UTF8, true, 1 << 16);
        if (unit == TextUnit.Document)
        {
            // A document is one example, so it is held whole; only that one file is in memory.
            var all = reader.ReadToEnd();
            if (!string.IsNullOrWhiteSpace(all)) yield return Make(file, 1, all.Trim());
            yield break;
        }
        var paragraph = new StringBuilder();
        long start = 0, line = 0;
        string? text;
        while ((text = reader.ReadLine()) != null)
        {
            line++;
            if (unit == TextUnit.Line)
            {
                if (!string.IsNullOrWhiteSpace(text)) yield return Make(file, line, text.Trim());
                continue;
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                if (paragraph.Length > 0) { yield return Make(file, start, paragraph.ToString()); paragraph.Clear(); }
                continue;
            }
            if (paragraph.Length == 0) start = line; else paragraph.Append('\n');
            paragraph.Append(text.TrimEnd());
        }
        if (paragraph.Length > 0) yield return Make(file, start, paragraph.ToString());
    }

    static DataRecord Make(string file, long line, string text) => new(file, line, new JsonObject { ["text"] = text });
}
