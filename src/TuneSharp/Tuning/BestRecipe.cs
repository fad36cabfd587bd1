using System.Text.Json.Nodes;
using TuneSharp.IO;
using TuneSharp.Recipes;

namespace TuneSharp.Tuning;

/// <summary>
/// Writes the best trial as a recipe that runs as is: the search's recipe with the fixed keys and the trial's
/// values applied, its file paths rewritten relative to the new file's folder, and its own run folder.
/// </summary>
public static class BestRecipe
{
    static readonly string[] PathKeys = ["model", "output_dir", "data.train", "data.validation", "data.test", "pretrain.save_to"];

    /// <summary>The best finished trial (complete, best value; ties to the lower number), or null.</summary>
    public static TrialRecord? Best(IReadOnlyList<TrialRecord> trials, bool maximize) =>
        trials.Where(t => t.State == TrialState.Complete && t.Value is not null)
            .OrderBy(t => maximize ? -t.Value!.Value : t.Value!.Value).ThenBy(t => t.Number).FirstOrDefault();

    public static void Write(SearchSpace space, TrialRecord best, string path, string runDir)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var recipe = RecipeLoader.Load(space.Recipe, [.. space.Overrides(best.Params ?? []), $"output_dir={runDir}"]);
        var root = (JsonObject)recipe.Root.DeepClone();
        foreach (var key in PathKeys)
        {
            var parts = key.Split('.');
            var parent = parts.Length == 1 ? root : root[parts[0]] as JsonObject;
            if (parent?[parts[^1]] is JsonValue v && v.TryGetValue(out string? text))
                parent[parts[^1]] = Path.GetRelativePath(dir, recipe.PathOf(text)!);
        }
        var header = $"# Best trial {best.Number} of study '{space.StudyName}' ({space.Metric} {best.Value:0.####}), written by tunesharp tune.\n"
            + $"# Search: {space.File}\n# Run:    tunesharp train {Path.GetRelativePath(Directory.GetCurrentDirectory(), full)}\n";
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(full, header + new Recipe(root, full).ToYaml());
    }
}
