using System.Globalization;
using System.Text;

namespace TuneSharp.Reporting;

/// <summary>Renders report.md: overview, results table, settings lines, curves, task sections, options, provenance.</summary>
static class ReportMarkdown
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(RunSummary s)
    {
        var md = new StringBuilder();
        md.Append(Inv, $"# TuneSharp run report: {s.Task}\n\n");
        Overview(md, s);
        foreach (var stage in s.Stages) Section(md, stage.Title, stage.Markdown);
        Results(md, s);
        Curves(md, s);
        Section(md, "Validation details", s.Validation?.ReportMarkdown);
        Section(md, "Test details", s.Test?.ReportMarkdown);
        Options(md, s);
        Provenance(md, s.Provenance);
        return md.ToString();
    }

    static void Overview(StringBuilder md, RunSummary s)
    {
        var r = s.Result;
        md.Append("| | |\n|---|---|\n");
        if (s.Recipe is not null) Row(md, "Recipe", Code(s.Recipe));
        Row(md, "Task", s.Task);
        Row(md, "Model", Code(s.Model));
        Row(md, "Method", Method(s.Method));
        foreach (var d in s.Data)
            Row(md, $"Data ({d.Split})", string.Create(Inv, $"{Code(d.Path)}, {d.Examples:N0} examples"));
        Row(md, "Steps", r.SkippedSteps > 0 ? string.Create(Inv, $"{r.Steps:N0} ({r.SkippedSteps} skipped: non-finite loss or gradient)") : r.Steps.ToString("N0", Inv));
        if (r.BestMetric is double best)
            Row(md, "Best", string.Create(Inv, $"{s.BestMetricName ?? "metric"} {ResultsTable.Format(best)}{(r.BestStep is int step ? $" at step {step}" : "")}"));
        Row(md, "Early stopping", r.StoppedEarly ? "stopped early (patience reached)" : "no");
        Row(md, "Wall time", Duration(s.WallTime));
        Row(md, "Throughput", string.Create(Inv, $"{s.TokensPerSecond:N0} tokens/s"));
        md.Append('\n');
    }

    static void Results(StringBuilder md, RunSummary s)
    {
        var table = ResultsTable.From(s);
        if (table.Columns.Count == 0) return;
        md.Append("## Results\n\n| metric |");
        foreach (var c in table.Columns) md.Append(' ').Append(Cell(c)).Append(" |");
        md.Append("\n|---|");
        foreach (var _ in table.Columns) md.Append("---:|");
        md.Append('\n');
        foreach (var metric in table.Metrics)
        {
            md.Append("| ").Append(Cell(metric)).Append(" |");
            for (int c = 0; c < table.Columns.Count; c++)
                md.Append(' ').Append(table.Value(metric, c) is double v ? ResultsTable.Format(v) : "–").Append(" |");
            md.Append('\n');
        }
        md.Append('\n');
        // The settings line says how a number was computed (like sacreBLEU's signature); without it a number is not comparable.
        if (s.Validation is { Settings.Length: > 0 } val) md.Append("Validation settings: ").Append(Code(val.Settings)).Append("  \n");
        if (s.Test is { Settings.Length: > 0 } test) md.Append("Test settings: ").Append(Code(test.Settings)).Append("  \n");
        md.Append('\n');
    }

    static void Curves(StringBuilder md, RunSummary s)
    {
        var charts = s.Plots?.All().ToList() ?? [];
        if (charts.Count == 0) return;
        md.Append("## Training curves\n\n");
        foreach (var (title, file) in charts) md.Append(Inv, $"![{title}]({Uri.EscapeDataString(file)})\n\n");
    }

    static void Section(StringBuilder md, string title, string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return;
        md.Append("## ").Append(title).Append("\n\n").Append(body.Trim()).Append("\n\n");
    }

    static void Options(StringBuilder md, RunSummary s)
    {
        if (s.Options.Count == 0) return;
        md.Append("## Training options\n\n| option | value |\n|---|---|\n");
        foreach (var (key, value) in s.Options) Row(md, key, Code(value));
        md.Append('\n');
    }

    static void Provenance(StringBuilder md, Provenance p)
    {
        md.Append("## Provenance\n\n");
        md.Append(Inv, $"- TuneSharp {p.TuneSharpVersion}\n");
        md.Append(Inv, $"- TorchSharp {p.TorchSharpVersion}, libtorch {p.LibTorchVersion}\n");
        md.Append(Inv, $"- Machine: {p.OperatingSystem}, {p.Cores} cores, device {p.Device}\n");
        md.Append(Inv, $"- Date: {p.Date.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC\n");
    }

    internal static string Method(TrainingMethod m)
    {
        string name = m.Name.Equals("lora", StringComparison.OrdinalIgnoreCase) ? "LoRA"
            : m.Name.Equals("full", StringComparison.OrdinalIgnoreCase) ? "full fine-tuning" : m.Name;
        string details = string.IsNullOrWhiteSpace(m.Details) ? "" : $" ({m.Details})";
        return string.Create(Inv, $"{name}{details}: {m.TrainableParameters:N0} of {m.TotalParameters:N0} parameters trainable ({m.TrainablePercent:0.##} %)");
    }

    internal static string Duration(TimeSpan t) =>
        string.Create(Inv, $"{(int)t.TotalHours:00}:{t.Minutes:00}:{t.Seconds:00}");

    static void Row(StringBuilder md, string key, string value) => md.Append("| ").Append(Cell(key)).Append(" | ").Append(Cell(value)).Append(" |\n");

    // A pipe would end the cell and a newline the row.
    static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    static string Code(string text) => text.Contains('`', StringComparison.Ordinal) ? $"`` {text} ``" : $"`{text}`";
}
