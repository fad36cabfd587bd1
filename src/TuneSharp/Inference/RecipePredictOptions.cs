using TuneSharp.Recipes;

namespace TuneSharp.Inference;

/// <summary>Prediction settings taken from a recipe, so inference reads records as its training did.</summary>
public static class RecipePredictOptions
{
    /// <summary>The model folder a recipe's run leaves: <c>output_dir/model</c>.</summary>
    public static string ModelDir(Recipe recipe) => Path.Combine(recipe.OutputDir, "model");

    /// <summary>The recipe's task, run model folder, data.fields, data.max_length and input format.</summary>
    public static PredictOptions From(Recipe recipe)
    {
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
}
