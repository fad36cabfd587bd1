using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.Tasks;
using TuneSharp.Text;

namespace TuneSharp.Recipes;

/// <summary>Maps a recipe's model, task and data sections onto <see cref="TaskBuilder"/>.</summary>
public static class RecipeTask
{
    /// <summary>The data files of the recipe (absolute), by split; train is required.</summary>
    public static (string Train, string? Validation, string? Test) Files(Recipe r)
    {
        string Need(string? path, string key)
        {
            if (path is null) throw new UserError($"{r.File}: key 'data.{key}' is required");
            if (!File.Exists(path) && !Directory.Exists(path)) throw new UserError($"{r.File}: key 'data.{key}': {path} not found");
            return path;
        }
        string? Optional(string key) => r.PathOf(r.Get("data", key)) is { } p ? Need(p, key) : null;
        return (Need(r.PathOf(r.Get("data", "train")), "train"), Optional("validation"), Optional("test"));
    }

    /// <summary>Streams a split's records (the training split cut to a seeded random subset of data.limit when set).</summary>
    public static IEnumerable<DataRecord> Records(Recipe r, string path, bool isTrain)
    {
        var format = r.Get("data", "format") is { } f ? DataSources.ParseFormat(f) : (DataFormat?)null;
        var records = DataSources.Open(path, format);
        var limit = Recipe.Int(r.Section("data"), "limit");
        if (!isTrain || limit is not long n) return records;
        // A seeded random subset (files are often sorted by label, so the first N would be one class).
        var all = records.ToList();
        new Random(unchecked((int)r.Seed)).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
        return all.Take((int)n);
    }

    public static TaskOptions Options(Recipe r, string device)
    {
        var d = r.Section("data");
        var defaults = new TaskOptions();
        return new TaskOptions
        {
            MaxLength = (int?)Recipe.Int(d, "max_length") ?? defaults.MaxLength,
            Fields = Fields(r, d["fields"] as JsonObject),
            Labels = d["labels"] is JsonArray ? r.List(d, "labels") : null,
            LabelsFromAllSplits = r.Get("data", "labels_from") is { } from
                ? from is "all" ? true : from is "train" ? false : throw new UserError($"{r.File}: key 'data.labels_from': '{from}' is not train or all")
                : false,
            MultiLabel = Recipe.Bool(d, "multi_label") ?? false,
            ClassWeights = d["class_weights"] is JsonArray w ? w.Select(x => YamlToJson.TryNumber(x, out double v) ? v : 0).ToList() : null,
            LabelSmoothing = Recipe.Number(r.Section("training"), "label_smoothing") ?? 0,
            Packing = Recipe.Bool(d, "packing") ?? false,
            ChunkedCrossEntropy = Recipe.Bool(r.Section("training"), "chunked_cross_entropy") ?? false,
            GradientCheckpointing = Recipe.Bool(r.Section("training"), "gradient_checkpointing") ?? false,
            BlockSize = (int?)Recipe.Int(d, "block_size") ?? defaults.BlockSize,
            MlmProbability = Recipe.Number(d, "mlm_probability") ?? defaults.MlmProbability,
            NewSpecialTokens = r.List(d, "new_special_tokens"),
            Truncation = (r.Get("data", "truncation") ?? "truncate") switch
            {
                "truncate" or "right" => TruncationPolicy.Right,
                "drop" => TruncationPolicy.Drop,
                var t => throw new UserError($"{r.File}: key 'data.truncation': '{t}' is not truncate or drop"),
            },
            MaxEvalGenerations = (int?)Recipe.Int(d, "max_eval_generations") ?? defaults.MaxEvalGenerations,
            Generation = Generation(r, defaults.Generation),
            Pooling = r.Get("method", "pooling") is { } pooling ? Models.Heads.SequencePooling.CheckAny(pooling, $"{r.File}: key 'method.pooling'") : null,
            ConfigOverrides = (r.Root["model_config"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.DeepClone()) ?? new Dictionary<string, JsonNode?>(),
            Device = device,
        };
    }

    /// <summary>The recipe's generation section over the defaults: greedy unless do_sample; sampling keys without it are an error.</summary>
    static Generation.GenerationOptions Generation(Recipe r, Generation.GenerationOptions defaults)
    {
        var g = r.Section("generation");
        bool sample = Recipe.Bool(g, "do_sample") ?? false;
        foreach (var key in (string[])["temperature", "top_p", "top_k", "seed"])
            if (!sample && g[key] is not null) throw new UserError($"{r.File}: key 'generation.{key}': only read with generation.do_sample: true (evaluation decodes greedily)");
        var options = defaults with
        {
            MaxNewTokens = (int?)Recipe.Int(g, "max_new_tokens") ?? defaults.MaxNewTokens,
            Temperature = sample ? Recipe.Number(g, "temperature") ?? 1.0 : 0,
            TopP = Recipe.Number(g, "top_p") ?? defaults.TopP,
            TopK = (int?)Recipe.Int(g, "top_k") ?? defaults.TopK,
            RepetitionPenalty = Recipe.Number(g, "repetition_penalty") ?? defaults.RepetitionPenalty,
            Seed = sample ? Recipe.Int(g, "seed") ?? r.Seed : null,
        };
        if (sample && options.Temperature <= 0) throw new UserError($"{r.File}: key 'generation.temperature': must be > 0 with do_sample, got {options.Temperature}");
        try { options.Validate(); }
        catch (UserError e) { throw new UserError($"{r.File}: key generation.{e.Message}", e); }
        return options;
    }

    /// <summary>A fields map of the recipe (at <paramref name="at"/>, e.g. "data.fields") as field names.</summary>
    internal static FieldNames Fields(Recipe r, JsonObject? map, string at = "data.fields")
    {
        var f = FieldNames.Default;
        foreach (var (key, value) in map ?? [])
            f = f.With(key, value?.ToString() ?? "")
                ?? throw new UserError($"{r.File}: unknown key '{at}.{key}'" + (ClosestName.Find(key, FieldNames.Roles) is { } c ? $" (did you mean '{at}.{c}'?)" : ""));
        return f;
    }

    /// <summary>Builds the task on the recipe's model, or on <paramref name="modelDir"/> (a domain-adapted folder): reads and tokenizes every split.</summary>
    public static ITask Build(Recipe r, string device, string? modelDir = null)
    {
        var (train, validation, test) = Files(r);
        var data = new TaskData(
            Records(r, train, isTrain: true),
            validation is null ? null : Records(r, validation, false),
            test is null ? null : Records(r, test, false));
        return TaskBuilder.Create(r.Task, modelDir ?? r.Model, data, Options(r, device));
    }
}
