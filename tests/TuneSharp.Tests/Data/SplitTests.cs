using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Splits;
using TuneSharp.Data.Writing;

namespace TuneSharp.Tests.Data;

public class SplitTests
{
    // 1000 records: labels a/b/c in 60/30/10 proportion, 200 groups of 5.
    static List<DataRecord> Records(int n = 1000) => Enumerable.Range(0, n).Select(i => new DataRecord("mem", i + 1, new JsonObject
    {
        ["text"] = $"example {i}",
        ["label"] = (i % 10) switch { < 6 => "a", < 9 => "b", _ => "c" },
        ["user"] = $"u{i / 5}",
    })).ToList();

    static string Label(DataRecord r) => r.Fields["label"]!.GetValue<string>();

    [Fact]
    public void SameSeed_SameSplits_OtherSeed_Different()
    {
        var records = Records();
        var a = DataSplitter.Split(records, new SplitOptions { Seed = 13 });
        var b = DataSplitter.Split(records, new SplitOptions { Seed = 13 });
        var c = DataSplitter.Split(records, new SplitOptions { Seed = 14 });
        Assert.Equal(a.Train.Select(r => r.Line), b.Train.Select(r => r.Line));
        Assert.Equal(a.Test.Select(r => r.Line), b.Test.Select(r => r.Line));
        Assert.NotEqual(a.Test.Select(r => r.Line), c.Test.Select(r => r.Line));
        Assert.Equal((800, 100, 100), (a.Train.Count, a.Validation.Count, a.Test.Count));
    }

    [Fact]
    public void Stratified_KeepsLabelProportionsInEverySplit()
    {
        var split = DataSplitter.Split(Records(), new SplitOptions { StratifyBy = "label" });
        foreach (var (part, size) in new[] { (split.Train, 800), (split.Validation, 100), (split.Test, 100) })
        {
            Assert.Equal(size, part.Count);
            Assert.Equal(0.6 * size, part.Count(r => Label(r) == "a"));
            Assert.Equal(0.3 * size, part.Count(r => Label(r) == "b"));
            Assert.Equal(0.1 * size, part.Count(r => Label(r) == "c"));
        }
    }

    [Fact]
    public void Groups_NeverStraddleSplits()
    {
        var split = DataSplitter.Split(Records(), new SplitOptions { GroupBy = "user", StratifyBy = "label" });
        var where = new Dictionary<string, int>();
        foreach (var (part, index) in new[] { (split.Train, 0), (split.Validation, 1), (split.Test, 2) })
            foreach (var r in part)
            {
                var user = r.Fields["user"]!.GetValue<string>();
                Assert.Equal(where.GetValueOrDefault(user, index), index);
                where[user] = index;
            }
        Assert.Equal(200, where.Count);
        Assert.InRange(split.Test.Count, 80, 120);
    }

    [Fact]
    public void KFold_EachRecordValidatedExactlyOnce()
    {
        var records = Records(103);
        var folds = DataSplitter.KFold(records, 5, new SplitOptions { StratifyBy = "label" });
        Assert.Equal(5, folds.Count);
        var validated = folds.SelectMany(f => f.Validation.Select(r => r.Line)).ToList();
        Assert.Equal(records.Select(r => r.Line).Order(), validated.Order());
        Assert.All(folds, f => Assert.Equal(103, f.Train.Count + f.Validation.Count));
        Assert.All(folds, f => Assert.Empty(f.Train.Select(r => r.Line).Intersect(f.Validation.Select(r => r.Line))));
        Assert.All(folds, f => Assert.InRange(f.Validation.Count, 19, 23));
    }

    [Fact]
    public void KFold_WithGroups_KeepsGroupsInOneFold()
    {
        var folds = DataSplitter.KFold(Records(100), 4, new SplitOptions { GroupBy = "user" });
        foreach (var fold in folds)
        {
            var valUsers = fold.Validation.Select(r => r.Fields["user"]!.GetValue<string>()).ToHashSet();
            Assert.DoesNotContain(fold.Train, r => valUsers.Contains(r.Fields["user"]!.GetValue<string>()));
        }
    }

    [Fact]
    public void MissingStratifyField_NamesTheRecord()
    {
        var records = Records(3);
        records.Add(new DataRecord("x.jsonl", 4, new JsonObject { ["text"] = "no label" }));
        var e = Assert.Throws<UserError>(() => DataSplitter.Split(records, new SplitOptions { StratifyBy = "label" }));
        Assert.StartsWith("x.jsonl:4: label:", e.Message);
    }

    [Theory]
    [InlineData("0.8,0.1")]
    [InlineData("0.5,0.3,0.3")]
    [InlineData("a,b,c")]
    [InlineData("0,0.5,0.5")]
    public void BadRatios_AreUserErrors(string ratios) =>
        Assert.Contains("ratios", Assert.Throws<UserError>(() => SplitRatios.Parse(ratios)).Message);

    [Fact]
    public void Ratios_TwoValues_MeanNoTest() => Assert.Equal(new SplitRatios(0.9, 0.1, 0), SplitRatios.Parse("0.9,0.1"));

    [Fact]
    public void AtomicWriter_LeavesNoTempFiles_AndKeepsOldFileOnFailure()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "out", "a.jsonl");
        Assert.Equal(2, AtomicJsonlWriter.WriteAll(path, [new JsonObject { ["a"] = "it's" }, new JsonObject { ["a"] = 2 }]));
        Assert.Equal(["{\"a\":\"it's\"}", "{\"a\":2}"], File.ReadAllLines(path));

        IEnumerable<JsonObject> Failing()
        {
            yield return new JsonObject { ["b"] = 1 };
            throw new InvalidOperationException("boom");
        }
        Assert.Throws<InvalidOperationException>(() => AtomicJsonlWriter.WriteAll(path, Failing()));
        Assert.Equal(2, File.ReadAllLines(path).Length);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
