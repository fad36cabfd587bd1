using TuneSharp.IO;
using TuneSharp.Training;

namespace TuneSharp.Recipes;

/// <summary>The run folder of a recipe (output_dir), as every runner (train, pretrain) starts it.</summary>
public static class RunFolder
{
    /// <summary>
    /// The checkpoint to resume from (the latest) when <paramref name="resume"/>, else null; a resume without a
    /// checkpoint, or a fresh start over existing checkpoints, is a <see cref="UserError"/>.
    /// </summary>
    public static string? ResumeFrom(Recipe recipe, bool resume)
    {
        var runDir = recipe.OutputDir;
        var store = new CheckpointStore(runDir);
        if (resume)
            return store.Latest() ?? throw new UserError($"{runDir}: no checkpoint to resume from (run without --resume to start)");
        if (store.List().Count > 0)
            throw new UserError($"{runDir}: the run folder already has checkpoints; pass --resume to continue, or set output_dir=... to start a new run");
        return null;
    }

    /// <summary>Creates the folder and writes the recipe, overrides applied, as config.yaml; returns the folder.</summary>
    public static string Create(Recipe recipe)
    {
        var runDir = recipe.OutputDir;
        Directory.CreateDirectory(runDir);
        AtomicFile.WriteAllText(Path.Combine(runDir, "config.yaml"), recipe.ToYaml());
        return runDir;
    }
}
