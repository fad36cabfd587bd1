using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.Data.Writing;
using TuneSharp.Tests.Cli;

namespace TuneSharp.Tests.Data.Cli;

public class DataAuditCommandTests
{
    static CliHarness.Result Audit(params string[] args) => CliHarness.Run(DataCommand.Create(), ["data", "audit", .. args]);

    /// <summary>
    /// 300 clearly separable sport/finance rows (40 words, 10% shared filler) with the labels of
    /// <paramref name="flipped"/> (1-based lines) swapped.
    /// </summary>
    static string Write(TempDir dir, int[] flipped)
    {
        string[] sport = ["goal", "match", "team", "coach", "league", "score", "striker", "referee", "season", "stadium", "keeper", "transfer"];
        string[] finance = ["stock", "market", "bond", "yield", "investor", "dividend", "inflation", "bank", "shares", "earnings", "fund", "rate"];
        string[] filler = ["the", "a", "today", "after", "new", "report", "said", "week"];
        var rng = new Random(7);
        var lines = Enumerable.Range(1, 300).Select(line =>
        {
            bool isSport = line % 2 == 0;
            var vocab = isSport ? sport : finance;
            var words = Enumerable.Range(0, 40).Select(_ => rng.NextDouble() < 0.1 ? filler[rng.Next(filler.Length)] : vocab[rng.Next(vocab.Length)]);
            bool flip = flipped.Contains(line);
            var label = isSport != flip ? "sport" : "finance";
            return new JsonObject { ["text"] = string.Join(' ', words), ["label"] = label }.ToJsonString(JsonOutput.Compact);
        });
        return dir.Lines("labelled.jsonl", [.. lines]);
    }

    [Fact]
    public void Lists_the_flipped_rows_among_the_top_flags_and_writes_them_as_jsonl()
    {
        using var dir = new TempDir();
        int[] flipped = [4, 57, 120, 201, 288];
        var input = Write(dir, flipped);
        var flagsPath = Path.Combine(dir.Path, "flags.jsonl");

        var r = Audit(input, "--folds", "4", "--seed", "3", "--top", "10", "--out", flagsPath);

        Assert.Equal(0, r.ExitCode);
        var flags = File.ReadAllLines(flagsPath).Select(l => JsonNode.Parse(l)!).ToList();
        var top = flags.Take(10).Select(f => (int)f["line"]!.GetValue<long>()).ToList();
        Assert.All(flipped, line => Assert.Contains(line, top));
        Assert.All(flags, f => Assert.Equal(input, f["file"]!.GetValue<string>()));
        var first = flags[0];
        Assert.NotEqual(first["given_label"]!.GetValue<string>(), first["suggested_label"]!.GetValue<string>());
        Assert.Equal(1, first["rank"]!.GetValue<int>());
        Assert.Contains("300 rows, 2 classes, 4-fold out-of-fold accuracy", r.Stdout);
        Assert.Contains("class 'sport': ", r.Stdout);
        Assert.Contains("class 'finance': ", r.Stdout);
        foreach (var line in flipped) Assert.Contains($"{input}:{line}: labelled '", r.Stdout);
        Assert.Contains($"flags: {flagsPath} ({flags.Count} rows)", r.Stdout);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Json_report_holds_the_summary_and_the_top_flags()
    {
        using var dir = new TempDir();
        var input = Write(dir, [10, 150]);

        var r = Audit(input, "--top", "3", "--json");

        Assert.Equal(0, r.ExitCode);
        var report = JsonNode.Parse(r.Stdout)!;
        Assert.Equal(300, report["examples"]!.GetValue<int>());
        Assert.Equal(["finance", "sport"], report["classes"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.True(report["out_of_fold_accuracy"]!.GetValue<double>() > 0.9);
        Assert.True(report["flags"]!.AsArray().Count <= 3);
        var lines = report["flags"]!.AsArray().Select(f => f!["line"]!.GetValue<long>()).ToList();
        Assert.Contains(10L, lines);
        Assert.Contains(150L, lines);
    }

    [Fact]
    public void Missing_label_field_exits_two_naming_file_and_line()
    {
        using var dir = new TempDir();
        var input = dir.Lines("a.jsonl", """{"text":"goal match","label":"sport"}""", """{"text":"stock bond","label":"finance"}""", """{"text":"team coach"}""");

        var r = Audit(input);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"error: {input}:3: no label field 'label'", r.Stderr.Trim());
    }

    [Theory]
    [InlineData("--folds", "1")]
    [InlineData("--top", "-1")]
    [InlineData("--seed", "x")]
    public void Bad_option_values_exit_two_naming_the_option(string option, string value)
    {
        using var dir = new TempDir();
        var input = dir.Lines("a.jsonl", """{"text":"goal match","label":"sport"}""");

        var r = Audit(input, option, value);

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: {option}: ", r.Stderr.Trim());
    }
}
