using System.Globalization;
using System.Text.Json.Nodes;
using TuneSharp.Data;

namespace TuneSharp.Tasks;

/// <summary>
/// Class names by index (the model's id2label). A record's label is a name, or an integer index into the set.
/// Written to config.json as id2label / label2id / num_labels.
/// </summary>
public sealed class LabelSet
{
    readonly Dictionary<string, int> index = new(StringComparer.Ordinal);

    /// <summary>Names in index order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of classes.</summary>
    public int Count => Names.Count;

    /// <summary>A set with these names in this order; duplicates and empty names are user errors.</summary>
    public LabelSet(IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new UserError("labels: the label set is empty");
        for (int i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrEmpty(names[i])) throw new UserError($"labels: label {i} is empty");
            if (!index.TryAdd(names[i], i)) throw new UserError($"labels: '{names[i]}' is listed twice");
        }
        Names = names.ToList();
    }

    /// <summary>Index of a name, or null.</summary>
    public int? IndexOf(string name) => index.TryGetValue(name, out int i) ? i : null;

    /// <summary>transformers' default names for <paramref name="count"/> classes: LABEL_0, LABEL_1, …</summary>
    public static IReadOnlyList<string> Generic(int count) =>
        Enumerable.Range(0, count).Select(i => "LABEL_" + i.ToString(CultureInfo.InvariantCulture)).ToList();

    /// <summary>
    /// The label set: <paramref name="given"/> when set; else the checkpoint's id2label when it has real names that
    /// cover every name in the data (so a saved classifier keeps its order); else the data's names sorted
    /// ordinally; integer labels without names give LABEL_0..LABEL_max.
    /// </summary>
    public static LabelSet Resolve(IReadOnlyList<string>? given, IReadOnlyList<string>? checkpoint,
        IEnumerable<(DataRecord Record, string Field, JsonNode Value)> values)
    {
        if (given is not null) return new LabelSet(given);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        long maxIndex = -1;
        (DataRecord, string)? firstName = null, firstIndex = null;
        foreach (var (record, field, value) in values)
        {
            if (value is JsonValue v && v.TryGetValue(out string? s)) { names.Add(s); firstName ??= (record, field); }
            else if (AsIndex(value) is long i) { maxIndex = Math.Max(maxIndex, i); firstIndex ??= (record, field); }
            else throw new UserError($"{RecordFields.Where(record, field)}: expected a label name or index, got {RecordFields.Kind(value)}");
        }
        if (firstName is not null && firstIndex is not null)
            throw new UserError($"{RecordFields.Where(firstIndex.Value.Item1, firstIndex.Value.Item2)}: labels mix names and indices; "
                + "use one kind, or give the label names in the options");
        bool generic = checkpoint is not null && checkpoint.SequenceEqual(Generic(checkpoint.Count));
        if (checkpoint is not null && !generic && (names.Count > 0 ? names.IsSubsetOf(checkpoint) : maxIndex < checkpoint.Count))
            return new LabelSet(checkpoint);
        if (names.Count > 0) return new LabelSet(names.ToList());
        if (maxIndex < 0) throw new UserError("labels: the training data has no labels");
        return new LabelSet(Generic((int)maxIndex + 1));
    }

    /// <summary>The index a record's label value stands for; an unknown name or an index out of range is a user error.</summary>
    public int Of(DataRecord record, string field, JsonNode? value)
    {
        if (value is JsonValue v && v.TryGetValue(out string? s))
            return IndexOf(s) ?? throw new UserError($"{RecordFields.Where(record, field)}: unknown label '{s}' (labels: {string.Join(", ", Names)})");
        if (AsIndex(value) is long i)
            return i >= 0 && i < Count ? (int)i : throw new UserError($"{RecordFields.Where(record, field)}: label index {i} is out of range 0..{Count - 1}");
        throw new UserError($"{RecordFields.Where(record, field)}: expected a label name or index, got {RecordFields.Kind(value)}");
    }

    static long? AsIndex(JsonNode? value)
    {
        if (value is not JsonValue v) return null;
        if (v.TryGetValue(out long l)) return l;
        if (v.TryGetValue(out double d) && d == Math.Floor(d)) return (long)d;
        return null;
    }

    /// <summary>Writes id2label, label2id and num_labels into a config.json object.</summary>
    public void WriteTo(JsonObject config)
    {
        var id2label = new JsonObject();
        var label2id = new JsonObject();
        for (int i = 0; i < Count; i++)
        {
            id2label[i.ToString(CultureInfo.InvariantCulture)] = Names[i];
            label2id[Names[i]] = i;
        }
        config["id2label"] = id2label;
        config["label2id"] = label2id;
        config["num_labels"] = Count;
    }

    /// <summary>id2label of a config.json in index order, or null when it has none.</summary>
    public static IReadOnlyList<string>? FromConfig(JsonObject config)
    {
        if (config["id2label"] is not JsonObject map || map.Count == 0) return null;
        var names = new string[map.Count];
        foreach (var (key, value) in map)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i >= names.Length) return null;
            names[i] = value is JsonValue v && v.TryGetValue(out string? s) ? s : "";
        }
        return names.Any(string.IsNullOrEmpty) ? null : names;
    }
}
