using System.Text.Encodings.Web;
using System.Text.Json;

namespace TuneSharp.Data.Writing;

/// <summary>JSON settings for files people read: quotes, '+' and non-ASCII stay as they are instead of \u escapes.</summary>
public static class JsonOutput
{
    /// <summary>Compact, one object per line (JSONL).</summary>
    public static JsonSerializerOptions Compact { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Indented (manifests, reports).</summary>
    public static JsonSerializerOptions Indented { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };
}
