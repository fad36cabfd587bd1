using System.Text.Json.Nodes;
using TuneSharp.Cli.Commands;
using TuneSharp.Data.Writing;
using TuneSharp.Tests.Cli;
using TuneSharp.Tests.Data.Dedup;

namespace TuneSharp.Tests.Data.Cli;

public class DataCleanCommandTests
{
    static CliHarness.Result Clean(params string[] args) => CliHarness.Run(DataCommand.Create(), ["data", "clean", .. args]);

    static string Row(string text, string label = "a") => new JsonObject { ["text"] = text, ["label"] = label }.ToJsonString(JsonOutput.Compact);

    [Fact]
    public void Pii_alone_changes_only_pii_and_keeps_every_row()
    {
        using var dir = new TempDir();
        string[] lines =
        [
            Row("  spaced   out <b>html</b> text  "),
            Row("write to bob@example.com today", "b"),
            Row(""),
            Row("  spaced   out <b>html</b> text  "),
            Row("Cafe\u0301 \u00a0 with a tab\there"),
        ];
        var input = dir.Lines("in.jsonl", lines);
        var output = Path.Combine(dir.Path, "out.jsonl");

        var r = Clean(input, output, "--pii");

        Assert.Equal(0, r.ExitCode);
        var kept = File.ReadAllLines(output);
        Assert.Equal(lines.Length, kept.Length);
        Assert.Equal(Row("write to [EMAIL] today", "b"), kept[1]);
        foreach (int i in new[] { 0, 2, 3, 4 }) Assert.Equal(lines[i], kept[i]);
        Assert.Empty(File.ReadAllLines(Path.Combine(dir.Path, "out.removed.jsonl")));
        Assert.Contains("read 5, kept 5, removed 0", r.Stdout);
        Assert.Contains("pii EMAIL: 1", r.Stdout);
        Assert.Contains(Path.Combine(dir.Path, "out.removed.jsonl"), r.Stdout);
    }

    [Fact]
    public void Phone_region_decides_which_national_numbers_are_scrubbed()
    {
        using var dir = new TempDir();
        var input = dir.Lines("in.jsonl", Row("Leeds 0113 496 0571, Boston (617) 555-0111"));
        var output = Path.Combine(dir.Path, "out.jsonl");

        Assert.Equal(0, Clean(input, output, "--pii").ExitCode);
        Assert.Equal(Row("Leeds 0113 496 0571, Boston [PHONE]"), File.ReadAllLines(output)[0]);
        Assert.Equal(0, Clean(input, output, "--pii", "--phone-region", "gb,us").ExitCode);
        Assert.Equal(Row("Leeds [PHONE], Boston [PHONE]"), File.ReadAllLines(output)[0]);
    }

    [Fact]
    public void Dedup_moves_the_exact_duplicate_to_the_side_file_with_reason_and_source_line()
    {
        using var dir = new TempDir();
        var input = dir.Lines("in.jsonl", Row("the first row"), Row("another row"), Row("The  first row"));
        var output = Path.Combine(dir.Path, "out.jsonl");
        var removed = Path.Combine(dir.Path, "gone.jsonl");

        var r = Clean(input, output, "--dedup", "--removed", removed);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal([Row("the first row"), Row("another row")], File.ReadAllLines(output));
        var gone = File.ReadAllLines(removed).Select(l => JsonNode.Parse(l)!).Single();
        Assert.Equal("The  first row", gone["text"]!.GetValue<string>());
        Assert.Equal($"exact_duplicate: of {input}:1", gone["_removed_reason"]!.GetValue<string>());
        Assert.Equal(input, gone["_source_file"]!.GetValue<string>());
        Assert.Equal(3, gone["_source_line"]!.GetValue<long>());
        Assert.Contains("removed exact_duplicate: 1", r.Stdout);
    }

    [Fact]
    public void Near_dedup_catches_a_near_duplicate()
    {
        using var dir = new TempDir();
        var doc = DedupTests.Document(5, 80);
        var input = dir.Lines("in.jsonl", Row(doc), Row(DedupTests.Document(6, 80)), Row(DedupTests.ChangeWords(doc, 40)));
        var output = Path.Combine(dir.Path, "out.jsonl");

        var r = Clean(input, output, "--near-dedup", "0.8", "--json");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(2, File.ReadAllLines(output).Length);
        var gone = JsonNode.Parse(File.ReadAllLines(Path.Combine(dir.Path, "out.removed.jsonl")).Single())!;
        Assert.StartsWith($"near_duplicate: of {input}:1 (jaccard ", gone["_removed_reason"]!.GetValue<string>());
        Assert.Equal(3, gone["_source_line"]!.GetValue<long>());
        var report = JsonNode.Parse(r.Stdout)!;
        Assert.Equal(1, report["removed_by_reason"]!["near_duplicate"]!.GetValue<long>());
    }

    [Fact]
    public void Near_dedup_without_a_threshold_uses_the_default()
    {
        using var dir = new TempDir();
        var doc = DedupTests.Document(5, 80);
        var input = dir.Lines("in.jsonl", Row(doc), Row(DedupTests.ChangeWords(doc, 40)));
        var output = Path.Combine(dir.Path, "out.jsonl");

        var r = Clean(input, output, "--near-dedup");

        Assert.Equal(0, r.ExitCode);
        Assert.Single(File.ReadAllLines(output));
        Assert.Contains("removed near_duplicate: 1", r.Stdout);
    }

    [Fact]
    public void Recommended_and_extra_flags_report_changes_per_step_as_json()
    {
        using var dir = new TempDir();
        var input = dir.Lines("in.jsonl", Row("a   b <i>c</i> call +1 (415) 555-0134"), Row("  "), Row("a b c"));
        var output = Path.Combine(dir.Path, "out.jsonl");

        var r = Clean(input, output, "--recommended", "--strip-html", "--pii-types", "phone", "--json");

        Assert.Equal(0, r.ExitCode);
        var report = JsonNode.Parse(r.Stdout)!;
        Assert.Equal(1, report["removed_by_reason"]!["empty"]!.GetValue<long>());
        Assert.True(report["characters_changed_by_step"]!["html"]!.GetValue<long>() > 0);
        Assert.True(report["characters_changed_by_step"]!["whitespace"]!.GetValue<long>() > 0);
        Assert.Equal(1, report["pii"]!["PHONE"]!.GetValue<long>());
        Assert.Equal(Path.Combine(dir.Path, "out.removed.jsonl"), report["removed_file"]!.GetValue<string>());
        Assert.Equal(Row("a b c call [PHONE]"), File.ReadAllLines(output)[0]);
    }

    [Theory]
    [InlineData("--normalize", "nfz")]
    [InlineData("--near-dedup", "1.5")]
    [InlineData("--near-dedup", "0")]
    [InlineData("--near-dedup", "high")]
    [InlineData("--min-chars", "abc")]
    [InlineData("--min-alpha-ratio", "2")]
    [InlineData("--pii-types", "EMAIL,PASSPORT")]
    [InlineData("--near-dedup-shingles", "char")]
    [InlineData("--phone-region", "XX")]
    [InlineData("--phone-region", "UK")]
    [InlineData("--pii-names-model", "no-such-folder")]
    [InlineData("--pii-types", "EMAIL,PERSON")]
    public void Bad_option_values_exit_two_with_one_line_naming_the_option(string option, string value)
    {
        using var dir = new TempDir();
        var input = dir.Lines("in.jsonl", Row("x"));
        var output = Path.Combine(dir.Path, "out.jsonl");

        var r = Clean(input, output, option, value);

        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {option}: ", line);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Invalid_json_line_exits_two_naming_file_and_line_and_writes_nothing()
    {
        using var dir = new TempDir();
        var input = dir.Lines("in.jsonl", Row("fine"), """{"text": "broken""", Row("also fine"));
        var output = Path.Combine(dir.Path, "out.jsonl");

        var r = Clean(input, output, "--recommended");

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: {input}:2: invalid JSON", r.Stderr.Trim());
        Assert.Equal(["in.jsonl"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Reads_csv_and_writes_jsonl()
    {
        using var dir = new TempDir();
        var input = dir.Lines("in.csv", "text,label", "hello   world,a", "hello world,a");
        var output = Path.Combine(dir.Path, "out.jsonl");

        var r = Clean(input, output, "--whitespace", "--dedup");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal([Row("hello world")], File.ReadAllLines(output));
    }
}
