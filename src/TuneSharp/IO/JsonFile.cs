using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.IO;

/// <summary>
/// The one way a JSON file a user hands us is parsed (config.json, adapter_config.json, tokenizer files, shard
/// indexes): strict UTF-8, bounded nesting, and a duplicated key rejected at parse time. System.Text.Json keeps
/// duplicates and only throws an ArgumentException when the object is first read, and its messages can quote
/// the rest of the file over many lines; here every failure is one <see cref="UserError"/> naming file and line.
/// </summary>
public static class JsonFile
{
    /// <summary>Nesting deeper than this is no config file; System.Text.Json's own default, stated here.</summary>
    public const int MaxDepth = 64;

    static readonly UTF8Encoding strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Options for <see cref="JsonDocument"/> parses of user files.</summary>
    public static JsonDocumentOptions Options(bool allowTrailingCommas = false) => new()
    {
        MaxDepth = MaxDepth, AllowDuplicateProperties = false, AllowTrailingCommas = allowTrailingCommas,
    };

    /// <summary>Reads <paramref name="path"/> as a JSON object; <paramref name="name"/> names it in errors (default the path).</summary>
    public static JsonObject ReadObject(string path, string? name = null, bool allowTrailingCommas = false)
    {
        name ??= path;
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new UserError($"{name}: file not found"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new UserError($"{name}: cannot read {path} ({e.Message})", e); }
        return ParseObject(bytes, name, allowTrailingCommas);
    }

    /// <summary>Parses <paramref name="utf8"/> as a JSON object (a leading byte-order mark is allowed, as HF writes none but editors do).</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8, string name, bool allowTrailingCommas = false)
    {
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        try { strictUtf8.GetCharCount(utf8); }
        catch (DecoderFallbackException e) { throw new UserError($"{name}: not valid UTF-8 (byte {e.Index})"); }
        JsonNode? node;
        try { node = JsonNode.Parse(utf8, documentOptions: Options(allowTrailingCommas)); }
        catch (JsonException e) { throw Invalid(name, e); }
        var obj = node as JsonObject ?? throw new UserError($"{name}: expected a JSON object at the top level, got {Kind(node)}");
        if (LoneSurrogate(obj) is { } where) throw new UserError($"{name}: {where}: a string escapes half of a UTF-16 surrogate pair (\\ud800 alone is no character)");
        return obj;
    }

    /// <summary>
    /// The path of the first string (value or key) with an unpaired surrogate escape such as <c>"\ud800"</c>, or
    /// null. System.Text.Json accepts those when parsing and throws InvalidOperationException only when the string
    /// is read, which would surface far from the input (a 500 on the server, found by bench serve-abuse).
    /// </summary>
    public static string? LoneSurrogate(JsonNode? node, string path = "$")
    {
        try
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                        if (LoneSurrogate(value, $"{path}.{key}") is { } inner) return inner;
                    return null;
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                        if (LoneSurrogate(a[i], $"{path}[{i}]") is { } inner) return inner;
                    return null;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    v.GetValue<string>();
                    return null;
                default: return null;
            }
        }
        catch (InvalidOperationException) { return path; } // an object's keys are unescaped when it is first enumerated
    }

    /// <summary>A parse failure as one line: file, line, column and the reason without the text it quotes.</summary>
    public static UserError Invalid(string name, JsonException e)
    {
        string reason = e.Message.Split('\n')[0].Trim();
        int quote = reason.IndexOf('\'', StringComparison.Ordinal);
        if (quote >= 0 && e.Message.Contains('\n', StringComparison.Ordinal)) reason = reason[..quote].Trim() + " (a value spanning lines)";
        if (reason.Length > 160) reason = reason[..160] + "...";
        string where = e.LineNumber is long line ? $" at line {line + 1}" + (e.BytePositionInLine is long col ? $", column {col + 1}" : "") : "";
        return new UserError($"{name}: invalid JSON{where}: {reason}", e);
    }

    static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "a list",
        _ => node.GetValueKind().ToString().ToLowerInvariant(),
    };
}
