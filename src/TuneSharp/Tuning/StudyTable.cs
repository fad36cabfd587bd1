using System.Globalization;

namespace TuneSharp.Tuning;

/// <summary>The rows of a study table as text cells, shared by the live display, plain logs and reports.</summary>
public static class StudyTable
{
    public static IReadOnlyList<string> Columns(SearchSpace space) =>
        ["trial", "state", space.Metric, "step", .. space.Params.Select(p => p.Key), "wall"];

    public static IReadOnlyList<string> Row(SearchSpace space, TrialRecord t)
    {
        string value = t.Value is double v ? v.ToString("0.####", CultureInfo.InvariantCulture)
            : t.LastStep is int s ? t.Intermediate[s].ToString("0.####", CultureInfo.InvariantCulture) + "*" : "";
        string wall = t.StartedAt is double a ? TimeSpan.FromSeconds((t.FinishedAt ?? Clock.Now()) - a).ToString(@"m\:ss", CultureInfo.InvariantCulture) : "";
        return [t.Number.ToString(CultureInfo.InvariantCulture), t.State.ToString().ToLowerInvariant() + (t.Attempts > 1 ? $" (try {t.Attempts})" : ""),
            value, t.LastStep?.ToString(CultureInfo.InvariantCulture) ?? "",
            .. space.Params.Select(p => t.Params?.ContainsKey(p.Key) == true ? ParamSpec.Text(t.Params[p.Key]) : "-"), wall];
    }

    /// <summary>A Markdown table of all trials (report.md), best first marked.</summary>
    public static string Markdown(SearchSpace space, IReadOnlyList<TrialRecord> trials)
    {
        var cols = Columns(space);
        var lines = new List<string> { "| " + string.Join(" | ", cols) + " |", "|" + string.Concat(cols.Select(_ => " --- |")) };
        lines.AddRange(trials.Select(t => "| " + string.Join(" | ", Row(space, t)) + " |"));
        return string.Join('\n', lines) + "\n\n(* last intermediate value of a trial that did not complete)\n";
    }
}
