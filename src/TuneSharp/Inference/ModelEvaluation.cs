using TuneSharp.Models;
using TuneSharp.Recipes;
using TuneSharp.Runtime;
using TuneSharp.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>What <see cref="ModelEvaluation.Run"/> measured and where it wrote it.</summary>
/// <param name="Task">The task name.</param>
/// <param name="Split">"validation" or "test".</param>
/// <param name="ModelDir">The evaluated model folder.</param>
/// <param name="DataFile">The split's data file.</param>
/// <param name="Examples">Examples evaluated (after the truncation policy).</param>
/// <param name="Result">The task's metrics, settings line and report.</param>
/// <param name="MarkdownPath">eval-SPLIT.md.</param>
/// <param name="JsonPath">eval-SPLIT.json.</param>
public sealed record EvalOutcome(string Task, string Split, string ModelDir, string DataFile, int Examples, EvalResult Result, string MarkdownPath, string JsonPath);

/// <summary>
/// Evaluates a trained model folder on a recipe's validation or test split with the recipe's task and data
/// settings. A classifier keeps the label set it was trained with (config.json id2label), so its head is used as
/// trained and a label it never saw is an error, not a silently re-initialised head. The report goes to
/// <c>eval-SPLIT.md</c> and <c>eval-SPLIT.json</c> in the run folder (the model folder's parent), atomically.
/// </summary>
public static class ModelEvaluation
{
    /// <summary>The split to evaluate: <paramref name="split"/> when given, else validation when the recipe has it, else test.</summary>
    public static string ChooseSplit(Recipe recipe, string? split)
    {
        if (split is not null)
            return split is "validation" or "test" ? split : throw new UserError($"--split: expected validation or test, got '{split}'");
        if (recipe.Get("data", "validation") is not null) return "validation";
        if (recipe.Get("data", "test") is not null) return "test";
        throw new UserError($"{recipe.File}: neither 'data.validation' nor 'data.test' is set: nothing to evaluate on");
    }

    /// <summary>
    /// Evaluates <paramref name="modelDir"/> (default: the recipe's <c>output_dir/model</c>) on <paramref name="split"/>
    /// (see <see cref="ChooseSplit"/>) on <paramref name="device"/> (default: the recipe's device).
    /// </summary>
    public static EvalOutcome Run(Recipe recipe, string? modelDir = null, string? split = null, string? device = null)
    {
        var name = ChooseSplit(recipe, split);
        var dir = ModelFolderCheck.Require(modelDir ?? RecipePredictOptions.ModelDir(recipe),
            modelDir is null ? "train the recipe first, or pass --model DIR" : null);
        var file = recipe.PathOf(recipe.Get("data", name))
            ?? throw new UserError($"{recipe.File}: key 'data.{name}' is not set: no {name} split to evaluate on");
        if (!File.Exists(file) && !Directory.Exists(file)) throw new UserError($"{recipe.File}: key 'data.{name}': {file} not found");

        var resolved = DeviceSelection.Resolve(device ?? recipe.Device);
        var options = RecipeTask.Options(recipe, resolved.type == DeviceType.CUDA ? "cuda" : "cpu");
        if (LabelSet.FromConfig(Pretrained.Config(dir).Root) is { } trained && !trained.SequenceEqual(LabelSet.Generic(trained.Count)))
            options = options with { Labels = trained };
        var records = RecipeTask.Records(recipe, file, isTrain: false).ToList();
        var which = name == "validation" ? Split.Validation : Split.Test;
        // The split stands in for the training data too: a task needs one to resolve labels, and nothing trains here.
        var data = name == "validation" ? new TaskData(records, Validation: records) : new TaskData(records, Test: records);
        using var task = TaskBuilder.Create(recipe.Task, dir, data, options);
        var result = task.Evaluate(which, recipe.Training().EvalBatchSize, resolved);
        var outcome = new EvalOutcome(recipe.Task, name, dir, file, task.Count(which), result, "", "");
        return EvalFiles.Write(outcome, Path.GetDirectoryName(dir)!, recipe.File);
    }
}
