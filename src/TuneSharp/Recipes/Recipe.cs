using System.Text.Json.Nodes;
using TuneSharp.Training;
using YamlDotNet.Serialization;
using TuneSharp.Text;

namespace TuneSharp.Recipes;

/// <summary>
/// A validated recipe: typed access to its keys, with paths resolved relative to the recipe file.
/// Values absent from the file take the defaults of the records they feed (TrainingOptions, ...).
/// </summary>
public sealed class Recipe
{
    public JsonObject Root { get; }

    /// <summary>Absolute path of the recipe file.</summary>
    public string File { get; }

    public Recipe(JsonObject root, string file) { Root = root; File = file; }

    public string Name => System.IO.Path.GetFileNameWithoutExtension(File);
    string Dir => System.IO.Path.GetDirectoryName(File)!;

    public JsonObject Section(string name) => Root[name] as JsonObject ?? new JsonObject();

    public string? Get(string section, string key) => Value(Section(section)[key]);
    public string? Get(string key) => Value(Root[key]);

    internal static string? Value(JsonNode? n) => n is JsonValue v ? (v.TryGetValue(out string? s) ? s : v.ToJsonString()) : null;

    /// <summary>A path from the recipe, resolved against the recipe's folder.</summary>
    public string? PathOf(string? value) => value is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(Dir, value));

    /// <summary>The model folder: a path (against the recipe's folder) or a known encoder name such as <c>minilm</c>.</summary>
    public string Model => Get("model") is { } model ? Models.Import.ModelReference.Resolve(model, Dir)
        : throw new UserError($"{File}: key 'model' is required (a Hugging Face model folder, or minilm / arctic-xs)");

    public string Task
    {
        get
        {
            var t = Get("task") ?? throw new UserError($"{File}: key 'task' is required ({string.Join(" | ", RecipeSchema.Tasks)})");
            if (!RecipeSchema.Tasks.Contains(t))
                throw new UserError($"{File}: key 'task': '{t}' is not a task" + (ClosestName.Find(t, RecipeSchema.Tasks) is { } c ? $" (did you mean '{c}'?)" : $" ({string.Join(" | ", RecipeSchema.Tasks)})"));
            return t;
        }
    }

    public long Seed => Int(Root, "seed") ?? 42;
    public string Device => Get("device") ?? "auto";
    public string OutputDir => PathOf(Get("output_dir")) ?? System.IO.Path.GetFullPath(System.IO.Path.Combine("runs", Name));
    public string MethodType
    {
        get
        {
            var m = Get("method", "type") ?? "full";
            if (m is not ("full" or "lora" or "frozen-features" or "prompt-tuning" or "setfit"))
                throw new UserError($"{File}: key 'method.type': '{m}' is not full, lora, frozen-features, prompt-tuning or setfit");
            return m;
        }
    }

    public IReadOnlyList<string> List(JsonObject section, string key) =>
        section[key] is JsonArray a ? a.Select(x => Value(x) ?? "").ToList() : [];

    public static long? Int(JsonObject section, string key) =>
        section[key] is JsonValue v && v.TryGetValue(out long l) ? l : null;

    public static double? Number(JsonObject section, string key) =>
        YamlToJson.TryNumber(section[key], out double d) ? d : null;

    public static bool? Bool(JsonObject section, string key) =>
        section[key] is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    /// <summary>
    /// training + evaluation sections as TrainingOptions: every key whose <see cref="RecipeSchema"/> entry binds a
    /// field sets it; absent keys keep the defaults.
    /// </summary>
    public TrainingOptions Training()
    {
        var o = new TrainingOptions { Seed = Seed };
        foreach (var name in (string[])["training", "evaluation"])
        {
            var section = Section(name);
            foreach (var (key, spec) in RecipeSchema.Root[name].Keys!)
                if (spec.Bind is { } bind && section[key] is not null) o = bind(o, section, key);
        }
        // Loss-like metrics are minimised unless the recipe says otherwise.
        if (Bool(Section("evaluation"), "greater_is_better") is null)
            o = o with { GreaterIsBetter = !(o.MetricForBestModel is "loss" or "perplexity") };
        return o;
    }

    /// <summary>The recipe as YAML, with overrides applied (written to the run folder as config.yaml).</summary>
    public string ToYaml() => new SerializerBuilder().Build().Serialize(Plain(Root));

    static object? Plain(JsonNode? n) => n switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out long l) => l,
        JsonValue v when v.TryGetValue(out double d) => d,
        JsonValue v => v.GetValue<string>(),
        _ => null,
    };
}
