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
    /// (see <see cref="ChooseSplit"/>) on <paramref name="device"/> (default: the recipe's device). With
    /// <paramref name="embeddingNoise"/> &gt; 0 every token's word embedding is moved by Gaussian noise of that L2 norm
    /// (<see cref="EmbeddingNoise"/>, seeded by the recipe's seed).
    /// </summary>
    public static EvalOutcome Run(Recipe recipe, string? modelDir = null, string? split = null, string? device = null, double embeddingNoise = 0)
    {
        if (MultiTaskRecipe.Is(recipe))
            return embeddingNoise == 0 ? RunMultiTask(recipe, modelDir, split, device)
                : throw new UserError("--embedding-noise: not supported with task: multi-task");
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
        EvalResult result;
        using (embeddingNoise == 0 ? null : EmbeddingNoise.Apply(task.Module, embeddingNoise, recipe.Seed))
            result = task.Evaluate(which, recipe.Training().EvalBatchSize, resolved);
        if (embeddingNoise != 0)
            result = result with { Settings = result.Settings + FormattableString.Invariant($"|embedding_noise:{embeddingNoise}(l2 per token, seed {recipe.Seed})") };
        var outcome = new EvalOutcome(recipe.Task, name, dir, file, task.Count(which), result, "", "");
        return EvalFiles.Write(outcome, Path.GetDirectoryName(dir)!, recipe.File);
    }

    /// <summary>
    /// A multi-task recipe: every task's split (data read as training read it, with the same subsets) through the
    /// trained folder's heads, which must all be there with the recipe's labels.
    /// </summary>
    static EvalOutcome RunMultiTask(Recipe recipe, string? modelDir, string? split, string? device)
    {
        var files = MultiTaskRecipe.Files(recipe);
        var name = split ?? (files.Any(f => f.Split.EndsWith("/validation", StringComparison.Ordinal)) ? "validation" : "test");
        if (name is not ("validation" or "test")) throw new UserError($"--split: expected validation or test, got '{split}'");
        var dir = ModelFolderCheck.Require(modelDir ?? RecipePredictOptions.ModelDir(recipe),
            modelDir is null ? "train the recipe first, or pass --model DIR" : null);
        var resolved = DeviceSelection.Resolve(device ?? recipe.Device);
        using var task = MultiTaskRecipe.Build(recipe, resolved.type == DeviceType.CUDA ? "cuda" : "cpu", dir);
        if (task.Tasks.Select(t => t.Spec.Name).FirstOrDefault(n => !task.HeadsFromCheckpoint.Contains(n)) is string missing)
            throw new UserError($"{dir}: no trained head '{missing}' with the recipe's task and labels (heads: {string.Join(", ", task.HeadsFromCheckpoint)})");
        var which = name == "validation" ? Split.Validation : Split.Test;
        var result = task.Evaluate(which, recipe.Training().EvalBatchSize, resolved);
        var dataFiles = string.Join(", ", files.Where(f => f.Split.EndsWith("/" + name, StringComparison.Ordinal)).Select(f => f.Path));
        var outcome = new EvalOutcome(recipe.Task, name, dir, dataFiles, task.Count(which), result, "", "");
        return EvalFiles.Write(outcome, Path.GetDirectoryName(dir)!, recipe.File);
    }
}
