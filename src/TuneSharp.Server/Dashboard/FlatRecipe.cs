using YamlDotNet.RepresentationModel;

namespace TuneSharp.Server.Dashboard;

/// <summary>
/// A run's config.yaml flattened to dotted keys ("method.lora.r" → "8"), so two runs' recipes can be compared
/// key by key. Sequences become one "[a, b]" value: a changed list is one changed key.
/// </summary>
public static class FlatRecipe
{
    /// <summary>Reads and flattens <paramref name="yamlText"/>; malformed YAML is a <see cref="UserError"/>.</summary>
    public static SortedDictionary<string, string> Parse(string yamlText)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yamlText)); }
        catch (YamlDotNet.Core.YamlException e) { throw new UserError($"config.yaml: line {e.Start.Line}: {e.Message}"); }
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0) return result;
        if (stream.Documents[0].RootNode is not YamlMappingNode root) throw new UserError("config.yaml: expected a mapping of keys");
        Flatten(root, "", result);
        return result;
    }

    /// <summary>The keys whose values differ (or exist in only some), each with one value per recipe ("" = absent).</summary>
    public static SortedDictionary<string, string[]> Diff(IReadOnlyList<IReadOnlyDictionary<string, string>> recipes)
    {
        var keys = new SortedSet<string>(recipes.SelectMany(r => r.Keys), StringComparer.Ordinal);
        var diff = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var values = recipes.Select(r => r.TryGetValue(key, out var v) ? v : "").ToArray();
            if (values.Distinct(StringComparer.Ordinal).Count() > 1) diff[key] = values;
        }
        return diff;
    }

    static void Flatten(YamlNode node, string prefix, SortedDictionary<string, string> into)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children)
                    Flatten(v, prefix.Length == 0 ? k.ToString() : prefix + "." + k, into);
                break;
            case YamlSequenceNode seq:
                into[prefix] = "[" + string.Join(", ", seq.Children.Select(c => c.ToString())) + "]";
                break;
            default:
                into[prefix] = node.ToString();
                break;
        }
    }
}
