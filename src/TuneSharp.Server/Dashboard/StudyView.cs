using System.Text.Json.Nodes;
using TuneSharp.Tuning;
using TuneSharp.Tuning.Storage;

namespace TuneSharp.Server.Dashboard;

/// <summary>
/// A hyperparameter study as the dashboard shows it, read from its folder's study.db (the SQLite storage that
/// <c>tunesharp tune</c> writes, also while trials still run): every trial with its state, sampled values,
/// objective value and intermediate values (what a pruner saw), the best complete trial, and the folder's
/// best.yaml, report.md and charts when the study has written them.
/// </summary>
public static class StudyView
{
    public const string DatabaseFile = "study.db";

    /// <summary>The study in <paramref name="dir"/> as JSON, or null when the folder holds no study.db.</summary>
    public static JsonObject? Read(string dir)
    {
        var path = Path.Combine(dir, DatabaseFile);
        if (!File.Exists(path)) return null;
        using var storage = new SqliteStudyStorage(path);
        var studies = new JsonArray();
        foreach (var name in storage.StudyNames())
        {
            var study = storage.FindStudy(name)!;
            var trials = storage.Trials(study.Id);
            var best = BestRecipe.Best(trials, study.Maximize);
            studies.Add(new JsonObject
            {
                ["name"] = study.Name,
                ["direction"] = study.Maximize ? "maximize" : "minimize",
                ["metric"] = study.Config["metric"]?.DeepClone(),
                ["budget"] = study.Config["trials"]?.DeepClone(),
                ["counts"] = Counts(trials),
                ["best_trial"] = best?.Number,
                ["best_value"] = best?.Value,
                ["trials"] = new JsonArray(trials.Select(t => (JsonNode)Trial(t)).ToArray()),
            });
        }
        return new JsonObject
        {
            ["studies"] = studies,
            ["best_recipe"] = DashboardRoutes.Text(dir, StudyReport.BestRecipeFile),
            ["report"] = DashboardRoutes.Text(dir, "report.md"),
            ["plots"] = new JsonArray(Directory.EnumerateFiles(dir, "*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal)
                .Select(p => (JsonNode)p!).ToArray()),
        };
    }

    static JsonObject Counts(IReadOnlyList<TrialRecord> trials)
    {
        var counts = new JsonObject();
        foreach (var state in Enum.GetValues<TrialState>())
            counts[state.ToString().ToLowerInvariant()] = trials.Count(t => t.State == state);
        return counts;
    }

    static JsonObject Trial(TrialRecord t)
    {
        var intermediate = new JsonArray(t.Intermediate.OrderBy(p => p.Key)
            .Select(p => (JsonNode)new JsonArray(p.Key, p.Value)).ToArray());
        return new JsonObject
        {
            ["number"] = t.Number,
            ["state"] = t.State.ToString().ToLowerInvariant(),
            ["value"] = t.Value,
            ["params"] = t.Params?.DeepClone(),
            ["intermediate"] = intermediate, // [[step, value], ...]
            ["attempts"] = t.Attempts,
            ["duration_s"] = t.StartedAt is { } s && t.FinishedAt is { } f ? Math.Round(f - s, 1) : null,
            ["error"] = t.Attrs["error"]?.DeepClone(),
        };
    }
}
