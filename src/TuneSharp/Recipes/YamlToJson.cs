using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TuneSharp.Recipes;

/// <summary>
/// Reads a YAML document into JSON nodes (so recipes and config.json share one typed access path),
/// remembering each key's line for error messages. Plain scalars become bool/int/float/null as YAML 1.2's
/// core schema says; quoted scalars stay strings.
/// </summary>
public static class YamlToJson
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="lines"/> receives "a.b.c" → 1-based line.</summary>
    public static JsonObject Parse(string text, string file, Dictionary<string, int> lines)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new UserError($"{file}:{e.Start.Line}: invalid YAML: {e.InnerException?.Message ?? e.Message}"); }
        catch (InvalidOperationException e) { throw new UserError($"{file}: invalid YAML: {e.Message}"); } // YamlDotNet's parser state errors
        if (stream.Documents.Count == 0) return new JsonObject();
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new UserError($"{file}: expected a mapping of keys at the top level");
        return (JsonObject)Convert(root, "", file, lines)!;
    }

    static JsonNode? Convert(YamlNode node, string path, string file, Dictionary<string, int> lines)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = (k as YamlScalarNode)?.Value ?? throw new UserError($"{file}:{k.Start.Line}: keys must be plain names");
                    var child = path.Length == 0 ? key : path + "." + key;
                    if (obj.ContainsKey(key)) throw new UserError($"{file}:{k.Start.Line}: key '{child}' appears twice");
                    lines[child] = (int)k.Start.Line;
                    obj[key] = Convert(v, child, file, lines);
                }
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                int i = 0;
                foreach (var item in seq.Children) arr.Add(Convert(item, $"{path}[{i++}]", file, lines));
                return arr;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new UserError($"{file}:{node.Start.Line}: unsupported YAML node for '{path}'");
        }
    }

    /// <summary>A scalar with YAML 1.2 core-schema typing for plain (unquoted) values.</summary>
    public static JsonNode? Scalar(YamlScalarNode s) => s.Style is ScalarStyle.Plain ? Infer(s.Value ?? "") : JsonValue.Create(s.Value ?? "");

    /// <summary>A number whether stored as an integer or a float (JsonValue keeps the parsed type).</summary>
    public static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue(out double d)) { value = d; return true; }
        if (v.TryGetValue(out long l)) { value = l; return true; }
        return false;
    }

    /// <summary>Types a plain value: null, true/false, integer, float, else string.</summary>
    public static JsonNode? Infer(string v)
    {
        if (v is "" or "~" or "null" or "Null" or "NULL") return null;
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return JsonValue.Create(l);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }
}
