using System.Globalization;
using System.Text;
using TuneSharp.IO;

namespace TuneSharp.Tuning;

/// <summary>What a study's report wrote.</summary>
public sealed record StudyReportFiles(string Report, string? BestRecipe, IReadOnlyList<string> Plots, TrialRecord? Best);

/// <summary>
/// Writes a study's outputs into a folder: report.md (every trial, the best one, counts), best.yaml (the best
/// trial's recipe, ready to run) and the PNG charts. Used at the end of <c>tunesharp tune</c> and by
/// <c>tunesharp tune report</c> on any stored study.
/// </summary>
public static class StudyReport
{
    public const string BestRecipeFile = "best.yaml";
    public const string ReportFile = "report.md";

    public static StudyReportFiles Write(SearchSpace space, IReadOnlyList<TrialRecord> trials, string outDir, string storageDescription)
    {
        Directory.CreateDirectory(outDir);
        var best = BestRecipe.Best(trials, space.Maximize);
        string? bestPath = null;
        if (best is not null)
        {
            bestPath = Path.Combine(outDir, BestRecipeFile);
            BestRecipe.Write(space, best, bestPath, Path.Combine(outDir, "best-run"));
        }
        var plots = StudyPlots.Write(space, trials, outDir);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Study {space.StudyName}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Search `{space.File}` over recipe `{space.Recipe}`; storage {storageDescription}.\n");
        md.Append(CultureInfo.InvariantCulture, $"Objective: {(space.Maximize ? "maximize" : "minimize")} validation {space.Metric}; sampler {space.Sampler.Name}, pruner {space.Pruner.Name}.\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Trials: {trials.Count} of {space.Trials} ({Count(trials, TrialState.Complete)} complete, {Count(trials, TrialState.Pruned)} pruned, "
            + $"{Count(trials, TrialState.Fail)} failed, {Count(trials, TrialState.Running)} running).\n\n");
        if (best is not null)
        {
            var values = string.Join(", ", best.Params!.Select(kv => $"`{kv.Key}={ParamSpec.Text(kv.Value)}`"));
            md.Append(CultureInfo.InvariantCulture, $"**Best trial {best.Number}**: {space.Metric} {best.Value:0.####} with {values}.\n");
            if (best.Attrs["test"] is System.Text.Json.Nodes.JsonObject test)
                md.Append("Its test metrics: ").AppendJoin(", ", test.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {(double)kv.Value!:0.####}"))).Append(".\n");
            md.Append(CultureInfo.InvariantCulture, $"Recipe: [{BestRecipeFile}]({BestRecipeFile}).\n\n");
        }
        md.Append(StudyTable.Markdown(space, trials)).Append('\n');
        foreach (var p in plots) md.Append(CultureInfo.InvariantCulture, $"![{p}]({p})\n\n");
        var report = Path.Combine(outDir, ReportFile);
        AtomicFile.WriteAllText(report, md.ToString());
        return new StudyReportFiles(report, bestPath, plots, best);
    }

    static int Count(IReadOnlyList<TrialRecord> trials, TrialState s) => trials.Count(t => t.State == s);
}
