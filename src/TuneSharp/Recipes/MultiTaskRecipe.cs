using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.Tasks;
using TuneSharp.Training;

namespace TuneSharp.Recipes;

/// <summary>
/// Maps a recipe's <c>multi_task</c> section onto <see cref="MultiTaskTask"/> and <see cref="MultiTaskMixing"/>, and
/// refuses the keys that contradict it (one <c>error:</c> line naming the key).
/// </summary>
public static class MultiTaskRecipe
{
    /// <summary>Whether the recipe asks for multi-task learning (task: multi-task or a multi_task section).</summary>
    public static bool Is(Recipe r) => r.Get("task") == RecipeSchema.MultiTask || r.Root["multi_task"] is not null;

    /// <summary>Checks what the section and the rest of the recipe say together; returns the task sections by name.</summary>
    public static IReadOnlyList<(string Name, JsonObject Section)> Check(Recipe r)
    {
        string At(string key) => $"{r.File}: key '{key}'";
        if (r.Get("task") != RecipeSchema.MultiTask)
            throw new UserError($"{At("task")}: a recipe with a multi_task section has task: multi-task" + (r.Get("task") is { } t ? $", not {t}" : ""));
        var section = r.Section("multi_task");
        if (section["tasks"] is not JsonObject tasks || tasks.Count == 0)
            throw new UserError($"{At("multi_task.tasks")}: task: multi-task needs its tasks, e.g. multi_task.tasks.genre: {{task: sequence-classification, train: ...}}");
        if (r.Root["data"] is not null)
            throw new UserError($"{At("data")}: a multi-task recipe gives each task its data under multi_task.tasks.NAME (train, validation, fields, ...)");
        if (r.MethodType != "full") throw new UserError($"{At("method.type")}: multi-task learning fine-tunes in full, not {r.MethodType}");
        if (r.Get("method", "pooling") is not null) throw new UserError($"{At("method.pooling")}: in a multi-task recipe each sequence task has its own multi_task.tasks.NAME.pooling");
        var mixing = Mixing(r);
        if (section["temperature"] is not null && mixing != "temperature")
            throw new UserError($"{At("multi_task.temperature")}: only mixing: temperature reads it (mixing is {mixing})");
        bool uncertainty = Uncertainty(r);
        var list = tasks.Select(p => (p.Key, (JsonObject)p.Value!)).ToList();
        foreach (var (name, s) in list)
        {
            if (uncertainty && s["weight"] is not null)
                throw new UserError($"{At($"multi_task.tasks.{name}.weight")}: loss_weighting: uncertainty learns the weights; drop the fixed weight or use loss_weighting: fixed");
            if (Recipe.Value(s["task"]) is not { } task) throw new UserError($"{At($"multi_task.tasks.{name}.task")} is required ({string.Join(" | ", SubTaskSpec.Tasks)})");
            if (!SubTaskSpec.Tasks.Contains(task))
                throw new UserError($"{At($"multi_task.tasks.{name}.task")}: '{task}' cannot share an encoder here ({string.Join(" | ", SubTaskSpec.Tasks)})");
            if (task != SubTaskSpec.Tasks[0] && s["pooling"] is not null)
                throw new UserError($"{At($"multi_task.tasks.{name}.pooling")}: pooling is for sequence-classification tasks, this one is {task}");
            if (Recipe.Number(s, "weight") is double w && !(w >= 0 && double.IsFinite(w)))
                throw new UserError($"{At($"multi_task.tasks.{name}.weight")}: must be a non-negative number, got {w}");
            foreach (var key in (string[])["limit", "validation_limit", "test_limit", "max_length"])
                if (Recipe.Int(s, key) is long n && n < 1) throw new UserError($"{At($"multi_task.tasks.{name}.{key}")}: must be at least 1, got {n}");
        }
        return list;
    }

    /// <summary>multi_task.mixing (default proportional).</summary>
    public static string Mixing(Recipe r)
    {
        var mixing = r.Get("multi_task", "mixing") ?? "proportional";
        if (!MultiTaskMixing.Modes.Contains(mixing))
            throw new UserError($"{r.File}: key 'multi_task.mixing': '{mixing}' is not {string.Join(", ", MultiTaskMixing.Modes)}");
        return mixing;
    }

    /// <summary>multi_task.loss_weighting is uncertainty (default fixed).</summary>
    public static bool Uncertainty(Recipe r)
    {
        var w = r.Get("multi_task", "loss_weighting") ?? "fixed";
        if (!MultiTaskLoss.Modes.Contains(w))
            throw new UserError($"{r.File}: key 'multi_task.loss_weighting': '{w}' is not {string.Join(", ", MultiTaskLoss.Modes)}");
        return w == "uncertainty";
    }

    /// <summary>Each task's data files (absolute) by split name "NAME/train", "NAME/validation", "NAME/test".</summary>
    public static IReadOnlyList<(string Split, string Path)> Files(Recipe r) =>
        Check(r).SelectMany(t => Paths(r, t.Name, t.Section).Select(p => ($"{t.Name}/{p.Split}", p.Path))).ToList();

    static IEnumerable<(string Split, string Path)> Paths(Recipe r, string name, JsonObject s)
    {
        foreach (var split in (string[])["train", "validation", "test"])
        {
            var path = r.PathOf(Recipe.Value(s[split]));
            if (path is null)
            {
                if (split == "train") throw new UserError($"{r.File}: key 'multi_task.tasks.{name}.train' is required");
                continue;
            }
            if (!File.Exists(path) && !Directory.Exists(path)) throw new UserError($"{r.File}: key 'multi_task.tasks.{name}.{split}': {path} not found");
            yield return (split, path);
        }
    }

    /// <summary>Builds the multi-task task: reads and tokenizes every task's splits, loads the encoder once.</summary>
    /// <param name="r">The recipe.</param>
    /// <param name="device">cpu or cuda.</param>
    /// <param name="modelDir">The model folder to start from (default: the recipe's model); a trained multi-task folder gives its heads.</param>
    public static MultiTaskTask Build(Recipe r, string device, string? modelDir = null)
    {
        var specs = Check(r).Select(t => Spec(r, t.Name, t.Section, device)).ToList();
        return new MultiTaskTask(modelDir ?? r.Model, specs, Uncertainty(r));
    }

    /// <summary>The batch order of the recipe's mixing over <paramref name="task"/>'s training sets.</summary>
    public static MultiTaskMixing Order(Recipe r, MultiTaskTask task, TrainingOptions o) =>
        new(task.TrainCounts, o.BatchSize, o.Seed, Mixing(r), Recipe.Number(r.Section("multi_task"), "temperature") ?? 2,
            task.Tasks.Select(t => t.Task.TrainLengths).ToList(), o.GroupByLength);

    static SubTaskSpec Spec(Recipe r, string name, JsonObject s, string device)
    {
        string at = $"multi_task.tasks.{name}";
        var format = Recipe.Value(s["format"]) is { } f ? DataSources.ParseFormat(f) : (DataFormat?)null;
        var paths = Paths(r, name, s).ToDictionary(p => p.Split, p => p.Path);
        IEnumerable<DataRecord>? Split(string split, string limitKey) =>
            paths.TryGetValue(split, out var path)
                // Evaluation subsets use a fixed seed: every run, whatever its seed, is scored on the same examples.
                ? Subset(DataSources.Open(path, format), Recipe.Int(s, limitKey), split == "train" ? r.Seed : 0) : null;
        var data = new TaskData(Split("train", "limit")!, Split("validation", "validation_limit"), Split("test", "test_limit"));
        var defaults = new TaskOptions();
        var options = new TaskOptions
        {
            MaxLength = (int?)Recipe.Int(s, "max_length") ?? defaults.MaxLength,
            Fields = RecipeTask.Fields(r, s["fields"] as JsonObject, at + ".fields"),
            Labels = s["labels"] is JsonArray ? r.List(s, "labels") : null,
            LabelsFromAllSplits = Recipe.Value(s["labels_from"]) is { } from
                ? from is "all" ? true : from is "train" ? false : throw new UserError($"{r.File}: key '{at}.labels_from': '{from}' is not train or all")
                : false,
            LabelSmoothing = Recipe.Number(r.Section("training"), "label_smoothing") ?? 0,
            Pooling = Recipe.Value(s["pooling"]) is { } pooling ? Models.Heads.SequencePooling.CheckBert(pooling, $"{r.File}: key '{at}.pooling'") : null,
            ConfigOverrides = (r.Root["model_config"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.DeepClone()) ?? new Dictionary<string, JsonNode?>(),
            Device = device,
        };
        return new SubTaskSpec(name, Recipe.Value(s["task"])!, data, options, Recipe.Number(s, "weight") ?? 1, Recipe.Value(s["metric"]));
    }

    /// <summary>A seeded random subset of N records (files are often sorted by label, so the first N would be one class), or all of them.</summary>
    static IEnumerable<DataRecord> Subset(IEnumerable<DataRecord> records, long? n, long seed)
    {
        if (n is not long count) return records;
        var all = records.ToList();
        new Random(unchecked((int)seed)).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
        return all.Take((int)count);
    }
}
