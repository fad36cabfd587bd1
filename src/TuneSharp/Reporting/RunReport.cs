namespace TuneSharp.Reporting;

/// <summary>Writes a finished run's evaluation report as report.md (for people) and report.json (for tools).</summary>
public static class RunReport
{
    /// <summary>File name of the Markdown report.</summary>
    public const string MarkdownFile = "report.md";
    /// <summary>File name of the JSON report.</summary>
    public const string JsonFile = "report.json";

    /// <summary>
    /// Writes report.md and report.json into <paramref name="outDir"/>, each atomically, and returns their paths.
    /// Chart links in <see cref="RunSummary.Plots"/> are relative, so the charts belong in the same folder.
    /// </summary>
    public static (string Markdown, string Json) Write(string outDir, RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Directory.CreateDirectory(outDir);
        string markdown = Path.Combine(outDir, MarkdownFile);
        string json = Path.Combine(outDir, JsonFile);
        IO.AtomicFile.WriteAllText(markdown, ReportMarkdown.Render(summary));
        IO.AtomicFile.WriteAllText(json, ReportJson.Render(summary));
        return (markdown, json);
    }
}
