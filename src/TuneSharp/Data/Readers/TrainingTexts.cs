using System.Text.Json.Nodes;

namespace TuneSharp.Data.Readers;

/// <summary>
/// The texts of a tokenizer's training corpus: one string field of every record of data files or folders
/// (JSONL, CSV, Parquet, raw text...), read lazily through <see cref="DataSources"/>, optionally capped in characters.
/// </summary>
public sealed class TrainingTexts
{
    readonly IReadOnlyList<string> paths;
    readonly DataFormat? format;
    readonly string field;
    readonly long? maxChars;

    /// <summary>
    /// Checks that every path exists (a <see cref="UserError"/> otherwise) and prepares to read them in order.
    /// </summary>
    /// <param name="paths">Files or folders.</param>
    /// <param name="format">The format of every path; null detects each one's.</param>
    /// <param name="field">The field holding the text (raw text files give "text").</param>
    /// <param name="maxChars">Stop after this many characters (the last text is cut); null reads everything.</param>
    public TrainingTexts(IReadOnlyList<string> paths, DataFormat? format = null, string field = "text", long? maxChars = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new UserError("no input given");
        foreach (var path in paths)
            if (!File.Exists(path) && !Directory.Exists(path)) throw new UserError($"{path}: no such file or folder");
        if (maxChars is <= 0) throw new UserError($"--max-chars must be positive (got {maxChars})");
        this.paths = paths;
        this.format = format;
        this.field = field;
        this.maxChars = maxChars;
    }

    /// <summary>Records whose field is missing, null or not a string (so not trained on).</summary>
    public long Skipped { get; private set; }

    /// <summary>The texts, in file and record order; empty texts are left out.</summary>
    public IEnumerable<string> Read()
    {
        long left = maxChars ?? long.MaxValue;
        foreach (var path in paths)
            foreach (var record in DataSources.Open(path, format))
            {
                if (record.Fields[field] is not JsonValue value || !value.TryGetValue(out string? text))
                {
                    Skipped++;
                    continue;
                }
                if (text.Length == 0) continue;
                if (text.Length >= left)
                {
                    int cut = (int)left;
                    // Never keep half of a surrogate pair.
                    if (cut < text.Length && char.IsLowSurrogate(text[cut]) && cut > 0) cut--;
                    if (cut > 0) yield return text[..cut];
                    yield break;
                }
                left -= text.Length;
                yield return text;
            }
    }
}
