namespace TuneSharp.Data.Readers;

/// <summary>The file formats <see cref="DataSources"/> can read.</summary>
public enum DataFormat
{
    /// <summary>One JSON object per line (.jsonl, .ndjson, .json).</summary>
    Jsonl,
    /// <summary>Comma-separated values with a header row.</summary>
    Csv,
    /// <summary>Tab-separated values with a header row (no quoting).</summary>
    Tsv,
    /// <summary>Apache Parquet, read one row group at a time.</summary>
    Parquet,
    /// <summary>CoNLL-style columns, one token per line, blank lines between sentences.</summary>
    Conll,
    /// <summary>Plain text: a .txt file or a folder of them.</summary>
    Text,
}
