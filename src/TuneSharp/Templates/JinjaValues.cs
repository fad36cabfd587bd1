using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Templates;

/// <summary>
/// Converts caller data (JSON nodes, CLR primitives, lists, dictionaries, <see cref="ChatMessage"/>s) into
/// the Python-like values templates operate on, as Python's <c>json.loads</c> would produce them.
/// </summary>
internal static class JinjaValues
{
    public static object? FromClr(object? value) => value switch
    {
        null => null,
        string or bool or long or double => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        decimal m => (double)m,
        JsonNode node => FromJson(node),
        JsonElement element => FromElement(element),
        ChatMessage message => FromMessage(message),
        IDictionary dictionary => FromDictionary(dictionary),
        IEnumerable<KeyValuePair<string, object?>> pairs => FromPairs(pairs),
        IEnumerable sequence => sequence.Cast<object?>().Select(FromClr).ToList(),
        _ => throw new UserError($"chat template: a variable of type {value.GetType().Name} cannot be passed to a template"),
    };

    static PyDict FromDictionary(IDictionary dictionary)
    {
        var d = new PyDict();
        foreach (DictionaryEntry e in dictionary) d[FromClr(e.Key)!] = FromClr(e.Value);
        return d;
    }

    static PyDict FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var d = new PyDict();
        foreach (var kv in pairs) d[kv.Key] = FromClr(kv.Value);
        return d;
    }

    public static object? FromJson(JsonNode? node)
    {
        switch (node)
        {
            case null: return null;
            case JsonObject obj:
                var d = new PyDict();
                foreach (var kv in obj) d[kv.Key] = FromJson(kv.Value);
                return d;
            case JsonArray arr:
                return arr.Select(FromJson).ToList();
            case JsonValue v:
                return v.GetValueKind() switch
                {
                    JsonValueKind.String => v.GetValue<string>(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number => Number(v.ToJsonString()),
                    _ => null,
                };
        }
        return null;
    }

    static object? FromElement(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => FromPairs(e.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, FromElement(p.Value)))),
        JsonValueKind.Array => e.EnumerateArray().Select(x => FromElement(x)).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => Number(e.GetRawText()),
        _ => null,
    };

    /// <summary>json.loads: a number without '.', 'e' or 'E' is an int, otherwise a float.</summary>
    static object Number(string raw)
    {
        if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            return l;
        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    static PyDict FromMessage(ChatMessage m)
    {
        var d = new PyDict();
        d["role"] = m.Role;
        d["content"] = m.Content;
        if (m.Name != null) d["name"] = m.Name;
        if (m.ToolCalls != null) d["tool_calls"] = FromJson(m.ToolCalls);
        if (m.ToolCallId != null) d["tool_call_id"] = m.ToolCallId;
        if (m.ReasoningContent != null) d["reasoning_content"] = m.ReasoningContent;
        return d;
    }
}
