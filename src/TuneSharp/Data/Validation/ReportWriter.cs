using System.Globalization;
using System.Text.Json.Nodes;

namespace TuneSharp.Data.Validation;

/// <summary>Writes a <see cref="ValidationReport"/> as readable text or as JSON for machines.</summary>
public static class ReportWriter
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Every problem as "file:line: field: message [code]", then the summary.</summary>
    public static void WriteText(ValidationReport report, TextWriter o)
    {
        foreach (var p in report.Problems)
            o.WriteLine((p.Severity == ProblemSeverity.Error ? "error: " : "warning: ") + p);
        if (report.Problems.Count > 0) o.WriteLine();

        o.WriteLine("Files");
        foreach (var f in report.Files)
            o.WriteLine($"  {f.File}: {f.Records} records, {f.Valid} valid, shape {f.Shape?.ToString() ?? "unknown"}, ~{f.TrainingTokens.ToString("N0", Inv)} training tokens");
        o.WriteLine($"Problems        {report.ErrorCount} error(s), {report.WarningCount} warning(s); {report.Duplicates} duplicate(s), {report.Leaks} leaked across splits");
        o.WriteLine($"Tokens counted  {report.TokenCounter}");
        o.WriteLine(report.MaxLength is int max
            ? $"Max length      {max} tokens, truncation policy: {report.Truncation.ToString().ToLowerInvariant()}"
            : "Max length      not checked (pass --max-length)");

        var l = report.Lengths;
        o.WriteLine($"Lengths         n={l.Count} mean={l.Mean.ToString("F1", Inv)} p50={l.Percentile(50)} p95={l.Percentile(95)} max={l.Max}");
        o.WriteLine($"Training tokens ~{l.TrainingTokens.ToString("N0", Inv)} per epoch (after the truncation policy)");

        if (l.Count > 0)
        {
            o.WriteLine("Length histogram");
            long peak = l.Buckets.Max();
            for (int i = 0; i < l.Buckets.Count; i++)
            {
                if (l.Buckets[i] == 0) continue;
                int bar = peak == 0 ? 0 : (int)Math.Ceiling(40.0 * l.Buckets[i] / peak);
                o.WriteLine($"  {LengthStats.BucketLabel(i),10} {l.Buckets[i],8} {new string('#', bar)}");
            }
        }
        if (report.LabelDistribution.Count > 0)
        {
            o.WriteLine("Label distribution");
            long total = report.LabelDistribution.Values.Sum();
            foreach (var (label, count) in report.LabelDistribution.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
                o.WriteLine($"  {label,-20} {count,8} {(100.0 * count / total).ToString("F1", Inv),6}%");
        }
        o.WriteLine(report.IsValid ? "OK: no errors" : $"FAILED: {report.ErrorCount} error(s)");
    }

    /// <summary>The report as one JSON object: problems, files, lengths, labels and totals.</summary>
    public static void WriteJson(ValidationReport report, TextWriter o)
    {
        var l = report.Lengths;
        var histogram = new JsonObject();
        for (int i = 0; i < l.Buckets.Count; i++) histogram[LengthStats.BucketLabel(i)] = l.Buckets[i];
        var labels = new JsonObject();
        foreach (var (label, count) in report.LabelDistribution.OrderBy(kv => kv.Key, StringComparer.Ordinal)) labels[label] = count;

        var json = new JsonObject
        {
            ["valid"] = report.IsValid,
            ["errors"] = report.ErrorCount,
            ["warnings"] = report.WarningCount,
            ["duplicates"] = report.Duplicates,
            ["leaks"] = report.Leaks,
            ["token_counter"] = report.TokenCounter,
            ["max_length"] = report.MaxLength,
            ["truncation"] = report.Truncation.ToString().ToLowerInvariant(),
            ["files"] = new JsonArray(report.Files.Select(f => (JsonNode)new JsonObject
            {
                ["file"] = f.File,
                ["shape"] = f.Shape?.ToString(),
                ["records"] = f.Records,
                ["valid"] = f.Valid,
                ["training_tokens"] = f.TrainingTokens,
            }).ToArray()),
            ["lengths"] = new JsonObject
            {
                ["count"] = l.Count,
                ["mean"] = Math.Round(l.Mean, 2),
                ["p50"] = l.Percentile(50),
                ["p95"] = l.Percentile(95),
                ["max"] = l.Max,
                ["total"] = l.Total,
                ["histogram"] = histogram,
            },
            ["training_tokens"] = l.TrainingTokens,
            ["label_distribution"] = labels,
            ["problems"] = new JsonArray(report.Problems.Select(p => (JsonNode)new JsonObject
            {
                ["file"] = p.File,
                ["line"] = p.Line,
                ["field"] = p.Field,
                ["code"] = p.Code,
                ["severity"] = p.Severity.ToString().ToLowerInvariant(),
                ["message"] = p.Message,
            }).ToArray()),
        };
        o.WriteLine(json.ToJsonString(TuneSharp.Data.Writing.JsonOutput.Indented));
    }
}
