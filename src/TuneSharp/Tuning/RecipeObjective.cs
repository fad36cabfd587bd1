using System.Text.Json.Nodes;
using TuneSharp.Recipes;
using TuneSharp.Training;

namespace TuneSharp.Tuning;

/// <summary>
/// A trial as a recipe run: the recipe with the fixed keys and the trial's values applied, trained into
/// &lt;study dir&gt;/trial-NNNN. Each periodic evaluation reports the search metric to the pruner; the objective is
/// the best validation value of the run (the checkpoint the recipe keeps). A retried trial whose folder has
/// checkpoints (this machine ran it before) continues from them exactly.
/// </summary>
public sealed class RecipeObjective(SearchSpace space, string studyDir, string? device = null) : ITrialObjective
{
    /// <summary>The overrides of a trial: fixed keys, sampled values, the run folder and the search metric.</summary>
    public IReadOnlyList<string> Overrides(int number, JsonObject parameters) =>
        [.. space.Overrides(parameters),
         $"output_dir={TrialDir(number)}",
         $"evaluation.metric_for_best_model={space.Metric}",
         $"evaluation.greater_is_better={(space.Maximize ? "true" : "false")}"];

    public string TrialDir(int number) => Path.Combine(studyDir, $"trial-{number:D4}");

    /// <summary>Recipe values with the fixed keys applied, for parameter conditions ("method.type" → "lora").</summary>
    public static Func<string, JsonNode?> Lookup(SearchSpace space)
    {
        var root = RecipeLoader.Load(space.Recipe, space.Overrides([])).Root;
        return key =>
        {
            JsonNode? node = root;
            foreach (var part in key.Split('.')) node = node is JsonObject o ? o[part] : null;
            return node;
        };
    }

    /// <summary>
    /// Loads the recipe as a trial would, with the first grid point and a random point, so that a value the recipe
    /// rejects (a float for an integer key, say) is a UserError before the first trial starts.
    /// </summary>
    public void Check(Func<string, JsonNode?> lookup)
    {
        var rng = new Random(0);
        RecipeLoader.Load(space.Recipe, Overrides(0, space.SampleEach(lookup, p => p.SampleUniform(rng))));
        RecipeLoader.Load(space.Recipe, Overrides(0, space.SampleEach(lookup, p => p.GridValues()[0])));
    }

    public TrialOutcome Run(TrialContext trial, CancellationToken cancel)
    {
        var recipe = RecipeLoader.Load(space.Recipe, Overrides(trial.Number, trial.Params));
        bool resume = new CheckpointStore(recipe.OutputDir).List().Count > 0;
        var outcome = RecipeRunner.Run(recipe, resume, cancel: cancel, deviceOverride: device, onEvaluation: (step, metrics) =>
        {
            if (!metrics.TryGetValue(space.Metric, out double v))
                throw new UserError($"{space.File}: metric '{space.Metric}' is not reported by this task (it reports: {string.Join(", ", metrics.Keys)})");
            trial.Report(step, v);
        });
        var attrs = new JsonObject { ["run_dir"] = outcome.RunDir, ["steps"] = outcome.Result.Steps };
        if (outcome.Validation is not null) attrs["validation"] = Metrics(outcome.Validation.Metrics);
        if (outcome.Test is not null) attrs["test"] = Metrics(outcome.Test.Metrics);
        double value = outcome.Result.BestMetric
            ?? throw new UserError($"{space.Recipe}: the recipe has no validation data, so a trial has nothing to be judged on (set data.validation)");
        return new TrialOutcome(value, attrs);
    }

    static JsonObject Metrics(IReadOnlyDictionary<string, double> metrics)
    {
        var o = new JsonObject();
        foreach (var (k, v) in metrics) if (double.IsFinite(v)) o[k] = v;
        return o;
    }
}
