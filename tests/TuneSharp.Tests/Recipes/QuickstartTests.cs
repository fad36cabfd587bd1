using TuneSharp.Recipes;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tests.Training;

namespace TuneSharp.Tests.Recipes;

/// <summary>The quickstart's comparison end to end on tiny-bert-cls and keyword sentiment (the real one runs MiniLM on Brown).</summary>
[Collection(SequentialCollection.Name)]
public sealed class QuickstartTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-quickstart-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void Every_row_runs_and_the_report_gives_intervals_for_each()
    {
        var recipe = FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, "full");
        var lines = new List<string>();
        var result = Quickstart.Run(recipe, ["data.limit=40"], progress: null, lines.Add);

        Assert.Equal(40, result.TrainExamples);
        Assert.Equal(30, result.TestExamples);
        Assert.Equal([.. Quickstart.Variants.Select(v => v.Name), result.Rows[^1].Name], result.Rows.Select(r => r.Name));
        Assert.StartsWith("majority class", result.Rows[^1].Name, StringComparison.Ordinal);
        foreach (var v in Quickstart.Variants)
            Assert.True(File.Exists(Path.Combine(result.RunDir, v.Folder, "model", "model.safetensors")), v.Folder);
        Assert.All(result.Rows, r => Assert.InRange(r.Intervals.Accuracy.Estimate, r.Intervals.Accuracy.Low, r.Intervals.Accuracy.High));
        Assert.Equal(Quickstart.Variants.Count - 1, result.Findings.Count); // each pretrained row against random init

        var md = File.ReadAllText(Path.Combine(result.RunDir, "report.md"));
        foreach (var r in result.Rows) Assert.Contains($"| {r.Name} |", md, StringComparison.Ordinal);
        Assert.Contains(result.Rows[0].Intervals.Accuracy.ToString(), md, StringComparison.Ordinal);
        Assert.Contains("95 % percentile bootstrap", md, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(result.RunDir, "comparison.png")).Length > 1000);
        Assert.Contains(lines, l => l.StartsWith("same architecture, random init: accuracy", StringComparison.Ordinal));
    }
}
