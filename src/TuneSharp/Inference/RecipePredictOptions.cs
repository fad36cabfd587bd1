using TuneSharp.Recipes;

namespace TuneSharp.Inference;

/// <summary>Prediction settings taken from a recipe, so inference reads records as its training did.</summary>
public static class RecipePredictOptions
{
    /// <summary>The model folder a recipe's run leaves: <c>output_dir/model</c>.</summary>
    public static string ModelDir(Recipe recipe) => Path.Combine(recipe.OutputDir, "model");

    /// <summary>The recipe's task, run model folder, data.fields, data.max_length and input format.</summary>
    /// <param name="recipe">The loaded recipe.</param>
    /// <param name="head">A multi-task recipe's head (required there): its task, fields and max_length are used.</param>
    public static PredictOptions From(Recipe recipe, string? head = null)
    {
        if (MultiTaskRecipe.Is(recipe)) return FromMultiTask(recipe, head);
        if (head is not null) throw new UserError($"--head: {recipe.File} is not a multi-task recipe; drop --head '{head}'");
        var task = RecipeTask.Options(recipe, "cpu");
        return new PredictOptions
        {
            ModelDir = ModelDir(recipe),
            Task = recipe.Task,
            Fields = task.Fields,
            MaxLength = task.MaxLength,
            MultiLabelThreshold = task.MultiLabelThreshold,
            Separator = task.Separator,
            MaxNewTokens = task.Generation.MaxNewTokens,
            Device = recipe.Device,
        };
    }

    static PredictOptions FromMultiTask(Recipe recipe, string? head)
    {
        var tasks = MultiTaskRecipe.Check(recipe);
        string list = string.Join(", ", tasks.Select(t => t.Name));
        if (head is null) throw new UserError($"{recipe.File}: a multi-task recipe: pick a head with --head NAME (heads: {list})");
        var (name, section) = tasks.FirstOrDefault(t => t.Name == head);
        if (section is null) throw new UserError($"--head: '{head}' is not a head of {recipe.File} (heads: {list})");
        var at = $"multi_task.tasks.{name}";
        return new PredictOptions
        {
            ModelDir = ModelDir(recipe),
            Task = Recipe.Value(section["task"])!,
            Head = name,
            Fields = RecipeTask.Fields(recipe, section["fields"] as System.Text.Json.Nodes.JsonObject, at + ".fields"),
            MaxLength = (int?)Recipe.Int(section, "max_length") ?? new PredictOptions { ModelDir = "", Task = "" }.MaxLength,
            Device = recipe.Device,
        };
    }
}
