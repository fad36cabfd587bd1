using System.Text.Json.Nodes;
using TuneSharp.Tasks;
using TuneSharp.Training.Distillation;

namespace TuneSharp.Recipes;

/// <summary>
/// The recipe's <c>distillation:</c> section: its options (each bad value one error line naming
/// <c>distillation.KEY</c>) and the teacher task it wraps the student's task with.
/// </summary>
public static class DistillationRecipe
{
    /// <summary>The distillation options, or null when the recipe has no distillation section.</summary>
    public static DistillationOptions? Options(Recipe r)
    {
        if (r.Root["distillation"] is not JsonObject d) return null;
        string Key(string k) => $"{r.File}: key 'distillation.{k}'";
        var teacher = r.PathOf(r.Get("distillation", "teacher")) ?? throw new UserError($"{Key("teacher")}: required (a fine-tuned classifier folder)");
        if (!File.Exists(Path.Combine(teacher, "config.json"))) throw new UserError($"{Key("teacher")}: {teacher} is not a model folder (no config.json)");
        if (r.Task != "sequence-classification")
            throw new UserError($"{r.File}: key 'distillation': logit distillation is for task sequence-classification, not {r.Task} (for generation, run `tunesharp distill generate` and train on its output)");
        if (Recipe.Bool(r.Section("data"), "multi_label") == true)
            throw new UserError($"{r.File}: key 'distillation': softmax distillation needs single-label classification, not data.multi_label");
        if (r.MethodType is "frozen-features" or "setfit")
            throw new UserError($"{r.File}: key 'distillation': method.type {r.MethodType} fits a regression, not a loss the teacher can shape");
        var defaults = new DistillationOptions { Teacher = teacher };
        var o = defaults with
        {
            Temperature = Recipe.Number(d, "temperature") ?? defaults.Temperature,
            Alpha = Recipe.Number(d, "alpha") ?? defaults.Alpha,
            HiddenMse = Recipe.Number(d, "hidden_mse") ?? defaults.HiddenMse,
            LayerMap = d["layer_map"] is JsonArray a ? a.Select((x, i) => Recipe.Int(new JsonObject { ["v"] = x?.DeepClone() }, "v") is long v ? (int)v
                : throw new UserError($"{Key("layer_map")}: entry {i + 1} is not a whole number (a teacher layer, 0-based)")).ToList() : null,
        };
        if (!(o.Temperature > 0)) throw new UserError($"{Key("temperature")}: must be positive, got {o.Temperature}");
        if (o.Alpha is < 0 or > 1) throw new UserError($"{Key("alpha")}: must be in [0, 1], got {o.Alpha}");
        if (o.HiddenMse < 0) throw new UserError($"{Key("hidden_mse")}: must be >= 0, got {o.HiddenMse}");
        if (o.LayerMap is not null && o.HiddenMse == 0) throw new UserError($"{Key("layer_map")}: only read with hidden_mse > 0");
        return o;
    }

    /// <summary>
    /// <paramref name="student"/> wrapped with its teacher (the recipe with <c>model:</c> set to the teacher, built on
    /// the same device and data), or the student itself without a distillation section.
    /// </summary>
    public static ITask Wrap(Recipe r, DistillationOptions? o, ITask student, string device)
    {
        if (o is null) return student;
        if (student is not SequenceClassificationTask s)
            throw new UserError($"{r.File}: key 'distillation': logit distillation is for task sequence-classification, not {student.Name}");
        var root = (JsonObject)r.Root.DeepClone();
        root["model"] = o.Teacher;
        root.Remove("distillation");
        root.Remove("domain_adaptation");
        var teacher = RecipeTask.Build(new Recipe(root, r.File), device);
        try
        {
            return new DistillationTask(s, teacher as SequenceClassificationTask ?? throw new UserError($"{r.File}: key 'distillation.teacher': not a sequence classifier"),
                o, k => $"{r.File}: key 'distillation.{k}'");
        }
        catch { teacher.Dispose(); student.Dispose(); throw; }
    }
}
