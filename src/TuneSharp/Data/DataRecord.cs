using System.Text.Json.Nodes;

namespace TuneSharp.Data;

/// <summary>
/// One example as read from a data file: its fields, and where it came from, so that every report
/// and every removed row can name the file and line. Line is 1-based (for CSV: the record's first line;
/// for Parquet: the row number).
/// </summary>
public sealed record DataRecord(string File, long Line, JsonObject Fields);
