using System.Globalization;
using System.Text.Json.Nodes;
using TuneSharp.Tasks;
using TuneSharp.Training;
using TuneSharp.Training.Curriculum;
using static TorchSharp.torch;

namespace TuneSharp.Recipes;

/// <summary>
/// The recipe's <c>curriculum:</c> section: its options (contradictions are one error line naming the key) and the
/// batch order it asks for, with the difficulty scored on the task's training split.
/// </summary>
public static class CurriculumRecipe
{
    /// <summary>The curriculum options, or null when the recipe has no curriculum section.</summary>
    public static CurriculumOptions? Options(Recipe r)
    {
        if (r.Root["curriculum"] is not JsonObject c) return null;
        string Key(string k) => $"{r.File}: key 'curriculum.{k}'";
        var difficulty = (r.Get("curriculum", "difficulty") ?? "length") switch
        {
            "length" => DifficultySource.Length,
            "loss" => DifficultySource.Loss,
            "field" => DifficultySource.Field,
            var d => throw new UserError($"{Key("difficulty")}: '{d}' is not length, loss or field"),
        };
        var pacing = (r.Get("curriculum", "pacing") ?? "competence") switch
        {
            "competence" => Pacing.Competence,
            "baby_steps" => Pacing.BabySteps,
            var p => throw new UserError($"{Key("pacing")}: '{p}' is not competence or baby_steps"),
        };
        bool hardFirst = (r.Get("curriculum", "order") ?? "easy_first") switch
        {
            "easy_first" => false,
            "hard_first" => true,
            var other => throw new UserError($"{Key("order")}: '{other}' is not easy_first or hard_first"),
        };
        var defaults = new CurriculumOptions();
        var o = new CurriculumOptions
        {
            Difficulty = difficulty,
            Field = r.Get("curriculum", "field"),
            ReferenceModel = r.Get("curriculum", "reference_model"),
            Pacing = pacing,
            HardFirst = hardFirst,
            PacingRatio = Recipe.Number(c, "pacing_ratio") ?? defaults.PacingRatio,
            InitialCompetence = Recipe.Number(c, "initial_competence") ?? defaults.InitialCompetence,
            Buckets = (int?)Recipe.Int(c, "buckets") ?? defaults.Buckets,
        };
        // Keys that only one setting reads are contradictions elsewhere, not silent no-ops.
        if (difficulty == DifficultySource.Field && o.Field is null) throw new UserError($"{Key("field")}: required with difficulty: field (the numeric field holding each example's difficulty)");
        if (difficulty != DifficultySource.Field && o.Field is not null) throw new UserError($"{Key("field")}: only read with difficulty: field, not {r.Get("curriculum", "difficulty") ?? "length"}");
        if (difficulty != DifficultySource.Loss && o.ReferenceModel is not null) throw new UserError($"{Key("reference_model")}: only read with difficulty: loss");
        if (pacing != Pacing.BabySteps && c["buckets"] is not null) throw new UserError($"{Key("buckets")}: only read with pacing: baby_steps");
        if (pacing != Pacing.Competence && c["initial_competence"] is not null) throw new UserError($"{Key("initial_competence")}: only read with pacing: competence");
        if (o.PacingRatio is not (> 0 and <= 1)) throw new UserError($"{Key("pacing_ratio")}: must be in (0, 1], got {o.PacingRatio}");
        if (o.InitialCompetence is not (> 0 and <= 1)) throw new UserError($"{Key("initial_competence")}: must be in (0, 1], got {o.InitialCompetence}");
        if (o.Buckets < 1) throw new UserError($"{Key("buckets")}: must be >= 1, got {o.Buckets}");
        if (MultiTaskRecipe.Is(r))
            throw new UserError($"{r.File}: key 'curriculum': cannot be combined with task: multi-task (its mixing decides the batch order)");
        if (r.MethodType is "frozen-features" or "setfit")
            throw new UserError($"{r.File}: key 'curriculum': method.type {r.MethodType} fits a regression on all examples at once; there are no batches to order");
        if (Recipe.Bool(r.Section("training"), "group_by_length") == true)
            throw new UserError($"{r.File}: key 'training.group_by_length': cannot be combined with a curriculum (both decide the batch order)");
        return o;
    }

    /// <summary>The batch order of curriculum <paramref name="o"/> (from <see cref="Options"/>) for <paramref name="task"/>; null without one.</summary>
    public static CurriculumOrder? Order(Recipe r, CurriculumOptions? o, ITask task, TrainingOptions training, Device device)
    {
        if (o is null) return null;
        var difficulty = o.Difficulty switch
        {
            DifficultySource.Length => ExampleDifficulty.Lengths(task),
            DifficultySource.Field => FieldValues(r, o.Field!, task.Count(Split.Train)),
            _ => ReferenceLosses(r, o, task, device),
        };
        var (_, totalSteps) = Trainer.Plan(task, training);
        return new CurriculumOrder(difficulty, o, training.BatchSize, training.Seed, (long)totalSteps * training.GradientAccumulationSteps);
    }

    /// <summary>The numeric <paramref name="field"/> of each training record, in the order the task holds them.</summary>
    static double[] FieldValues(Recipe r, string field, int expected)
    {
        var (train, _, _) = RecipeTask.Files(r);
        var values = new List<double>();
        foreach (var record in RecipeTask.Records(r, train, isTrain: true))
        {
            string where = RecordFields.Where(record, field) + " (curriculum.field)";
            var node = record.Fields[field] ?? throw new UserError($"{where} is missing");
            string raw = node is JsonValue jv && jv.TryGetValue(out string? s) ? s : node.ToJsonString();
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new UserError($"{where} is not a number: '{raw}'");
            values.Add(v);
        }
        if (values.Count != expected)
            throw new UserError($"{r.File}: key 'curriculum.field': the task kept {expected} of {values.Count} training records, so their difficulties cannot be matched; use difficulty: length or loss");
        return [.. values];
    }

    /// <summary>Per-example loss under the reference model (a second task built on it), or under the model being trained.</summary>
    static double[] ReferenceLosses(Recipe r, CurriculumOptions o, ITask task, Device device)
    {
        if (o.ReferenceModel is null)
        {
            if (task is SequenceClassificationTask { HeadLoaded: false })
                throw new UserError($"{r.File}: key 'curriculum.difficulty': loss under the model being trained needs a trained head, and this classifier's head is new; set curriculum.reference_model to a fine-tuned model folder (e.g. a one-epoch run's model/)");
            return ExampleDifficulty.Losses(task, device);
        }
        var root = (JsonObject)r.Root.DeepClone();
        root["model"] = o.ReferenceModel;
        root.Remove("curriculum");
        var reference = new Recipe(root, r.File);
        if (!Directory.Exists(reference.Model)) throw new UserError($"{r.File}: key 'curriculum.reference_model': {reference.Model} not found");
        using var referenceTask = RecipeTask.Build(reference, device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu");
        if (referenceTask is SequenceClassificationTask { HeadLoaded: false })
            throw new UserError($"{r.File}: key 'curriculum.reference_model': {reference.Model} has no trained head for these labels (its id2label differs), so its loss ranks nothing");
        if (referenceTask.Count(Split.Train) != task.Count(Split.Train))
            throw new UserError($"{r.File}: key 'curriculum.reference_model': it keeps {referenceTask.Count(Split.Train)} training examples, the model being trained {task.Count(Split.Train)} (a different tokenizer?)");
        return ExampleDifficulty.Losses(referenceTask, device);
    }
}
