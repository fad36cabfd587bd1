using TuneSharp.Data.Validation;

namespace TuneSharp.Data.Readers;

/// <summary>Opens any supported data file as a stream of <see cref="DataRecord"/>s, detecting its format.</summary>
public static class DataSources
{
    /// <summary>
    /// Streams the records of <paramref name="path"/> (a file, or a folder of .txt files). The format is
    /// <paramref name="format"/> when given, else detected by <see cref="Detect"/>. Unreadable lines go to
    /// <paramref name="onProblem"/>; when it is null they throw <see cref="UserError"/>, so nothing is dropped silently.
    /// </summary>
    public static IEnumerable<DataRecord> Open(string path, DataFormat? format = null, ReadOptions? options = null, Action<DataProblem>? onProblem = null)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new UserError($"{path}: no such file or folder");
        options ??= ReadOptions.Default;
        return (format ?? Detect(path)) switch
        {
            DataFormat.Jsonl => JsonlReader.Read(path, onProblem),
            DataFormat.Csv => DelimitedReader.Read(path, ',', onProblem),
            DataFormat.Tsv => DelimitedReader.Read(path, '\t', onProblem),
            DataFormat.Parquet => ParquetFileReader.Read(path),
            DataFormat.Conll => ConllReader.Read(path, options, onProblem),
            DataFormat.Text => TextCorpusReader.Read(path, options.TextUnit),
            var f => throw new UserError($"{path}: unsupported format {f}"),
        };
    }

    /// <summary>
    /// Detects the format: a folder is a text corpus; otherwise the extension decides (.jsonl .ndjson .json,
    /// .csv, .tsv .tab, .parquet, .conll .conllu .iob .bio, .txt); failing that, the content
    /// ("PAR1" magic: Parquet; a leading '{': JSONL).
    /// </summary>
    public static DataFormat Detect(string path)
    {
        if (Directory.Exists(path)) return DataFormat.Text;
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".jsonl" or ".ndjson" or ".json": return DataFormat.Jsonl;
            case ".csv": return DataFormat.Csv;
            case ".tsv" or ".tab": return DataFormat.Tsv;
            case ".parquet": return DataFormat.Parquet;
            case ".conll" or ".conllu" or ".iob" or ".bio": return DataFormat.Conll;
            case ".txt": return DataFormat.Text;
        }
        return Sniff(path);
    }

    /// <summary>Parses a --format value (jsonl, csv, tsv, parquet, conll, text).</summary>
    public static DataFormat ParseFormat(string name) =>
        Enum.TryParse<DataFormat>(name, ignoreCase: true, out var f) && Enum.IsDefined(f)
            ? f
            : throw new UserError($"unknown format '{name}': expected one of jsonl, csv, tsv, parquet, conll, text");

    static DataFormat Sniff(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        int n = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (n == 4 && head.SequenceEqual("PAR1"u8)) return DataFormat.Parquet;
        stream.Position = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0 && (b is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF)) { }
        if (b == '{') return DataFormat.Jsonl;
        throw new UserError($"{path}: cannot tell the format from the name or content; pass --format (jsonl, csv, tsv, parquet, conll, text)");
    }
}
