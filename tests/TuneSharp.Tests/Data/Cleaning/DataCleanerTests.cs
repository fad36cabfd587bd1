using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Cleaning;
using TuneSharp.Data.Dedup;
using TuneSharp.Data.Pii;
using TuneSharp.Tests.Data.Dedup;

namespace TuneSharp.Tests.Data.Cleaning;

public class DataCleanerTests
{
    [Fact]
    public void Pii_only_run_keeps_every_row_and_changes_only_pii()
    {
        var rows = new[]
        {
            Rows.Text("Mail  jane.doe@example.com   or call +44 20 7946 0958.\r\n\n\n\nThanks  "),
            Rows.Text("Nothing personal here, just   spaces and <b>tags</b>.", 2),
            Rows.Text("Nothing personal here, just   spaces and <b>tags</b>.", 3), // exact duplicate: still kept
            new DataRecord("in.jsonl", 4, new JsonObject { ["prompt"] = "card 4111 1111 1111 1111", ["completion"] = "ok", ["label"] = 3 }),
        };
        var kept = new List<DataRecord>();
        var report = DataCleaner.Clean(rows, kept.Add, (_, _) => Assert.Fail("no row may be removed"), new CleanOptions { ScrubPii = true });
        Assert.Equal(4, kept.Count);
        Assert.Equal("Mail  [EMAIL]   or call [PHONE].\r\n\n\n\nThanks  ", Rows.TextOf(kept[0]));
        Assert.Same(rows[1], kept[1]);                       // unchanged rows are passed through as they are
        Assert.Equal("card [CREDIT_CARD]", (string)kept[3].Fields["prompt"]!);
        Assert.Equal(3, (int)kept[3].Fields["label"]!);
        Assert.Equal("card 4111 1111 1111 1111", (string)rows[3].Fields["prompt"]!); // input not modified
        Assert.Equal(new Dictionary<PiiType, long> { [PiiType.Email] = 1, [PiiType.Phone] = 1, [PiiType.CreditCard] = 1 }, report.PiiCounts);
        Assert.Equal([CleanSteps.Pii], report.CharactersChangedByStep.Keys);
        Assert.Equal(2, report.RowsChangedByStep[CleanSteps.Pii]);
        Assert.Equal(0, report.Removed);
    }

    [Fact]
    public void Text_steps_apply_in_order_and_report_per_step()
    {
        var options = new CleanOptions
        {
            StripHtml = true, Normalization = UnicodeForm.Nfkc, RemoveControlCharacters = true, CollapseWhitespace = true,
        };
        var kept = new List<DataRecord>();
        var report = DataCleaner.Clean([Rows.Text("<p>Caf\u0065\u0301 \uFB01ne</p>\u0007<p>a   b</p>")], kept.Add, (_, _) => { }, options);
        // HTML turns the paragraphs into lines (the BEL becomes a line of its own), NFKC folds the ligature,
        // the control step drops the BEL; whitespace then has nothing left to do.
        Assert.Equal("Café fine\n\na b", Rows.TextOf(kept[0]));
        Assert.Equal(["control_chars", "html", "unicode"], report.CharactersChangedByStep.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Messages_shape_cleans_contents_but_not_roles()
    {
        var row = new DataRecord("chat.jsonl", 7, JsonNode.Parse("""
            {"messages":[{"role":"user","content":"my key is sk-proj-abcdefghijklmnopqrstuvwx123"},{"role":"assistant","content":"noted"}],"source":"a@example.com"}
            """)!.AsObject());
        DataRecord? kept = null;
        DataCleaner.Clean([row], r => kept = r, (_, _) => { }, new CleanOptions { ScrubPii = true });
        Assert.Equal("my key is [SECRET]", (string)kept!.Fields["messages"]![0]!["content"]!);
        Assert.Equal("user", (string)kept.Fields["messages"]![0]!["role"]!);
        Assert.Equal("a@example.com", (string)kept.Fields["source"]!); // not a text field of the messages shape
    }

    [Fact]
    public void Removed_rows_go_to_the_side_file_with_reason_and_source()
    {
        var dir = Directory.CreateTempSubdirectory("tunesharp-clean-");
        try
        {
            var output = Path.Combine(dir.FullName, "out.jsonl");
            File.WriteAllText(output, "old content\n");
            var rows = new[]
            {
                Rows.Text("first   row with enough text", 1, "train.jsonl"),
                Rows.Text("tiny", 2, "train.jsonl"),
                Rows.Text("First row with enough text", 5, "train.jsonl"),
                Rows.Text("second distinct row, ünïcode kept", 9, "train.jsonl"),
            };
            var report = JsonlCleanWriter.CleanToFiles(rows, output, null,
                new CleanOptions { CollapseWhitespace = true, MinChars = 10, ExactDedup = true });
            var kept = File.ReadAllLines(output);
            Assert.Equal(["{\"text\":\"first row with enough text\"}", "{\"text\":\"second distinct row, ünïcode kept\"}"], kept);
            var removed = File.ReadAllLines(Path.Combine(dir.FullName, "out.removed.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal(2, removed.Count);
            Assert.Equal("tiny", (string)removed[0]["text"]!);
            Assert.Equal("too_short: 4 < 10 characters", (string)removed[0]["_removed_reason"]!);
            Assert.Equal("train.jsonl", (string)removed[0]["_source_file"]!);
            Assert.Equal(2, (long)removed[0]["_source_line"]!);
            Assert.Equal("exact_duplicate: of train.jsonl:1", (string)removed[1]["_removed_reason"]!);
            Assert.Equal(5, (long)removed[1]["_source_line"]!);
            Assert.Equal(2, report.Kept);
            Assert.Equal(["out.jsonl", "out.removed.jsonl"], dir.GetFiles().Select(f => f.Name).Order());
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void A_failed_run_leaves_existing_outputs_and_no_temporaries()
    {
        var dir = Directory.CreateTempSubdirectory("tunesharp-clean-");
        try
        {
            var output = Path.Combine(dir.FullName, "out.jsonl");
            File.WriteAllText(output, "previous\n");
            IEnumerable<DataRecord> Failing()
            {
                yield return Rows.Text("one");
                throw new UserError("in.jsonl:2: not JSON");
            }
            Assert.Throws<UserError>(() => JsonlCleanWriter.CleanToFiles(Failing(), output, null, new CleanOptions()));
            Assert.Equal("previous\n", File.ReadAllText(output));
            Assert.Equal(["out.jsonl"], dir.GetFiles().Select(f => f.Name));
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void Bad_options_are_user_errors()
    {
        Assert.Throws<UserError>(() => new DataCleaner(new CleanOptions { MinChars = 10, MaxChars = 5 }));
        Assert.Throws<UserError>(() => new DataCleaner(new CleanOptions { MinAlphabeticRatio = 1.5 }));
        Assert.Throws<UserError>(() => new DataCleaner(new CleanOptions { NearDedup = new NearDuplicateOptions { Bands = 20, Rows = 10 } }));
    }

    /// <summary>
    /// 50k generated rows flow through every step while the generator is never more than one row ahead of the
    /// callbacks: nothing is materialised.
    /// </summary>
    [Fact]
    public void Cleaning_streams_50k_rows()
    {
        long produced = 0, consumed = 0, maxAhead = 0;
        IEnumerable<DataRecord> Generate()
        {
            for (int i = 0; i < 50_000; i++)
            {
                produced++;
                maxAhead = Math.Max(maxAhead, produced - consumed);
                // Every 10th row repeats an earlier one exactly; every 10th (offset 5) has one word changed (Jaccard ≈ 0.9).
                var text = i % 10 == 0 && i > 0 ? DedupTests.Document(i - 7, 60)
                    : i % 10 == 5 ? DedupTests.ChangeWords(DedupTests.Document(i - 3, 60), 30)
                    : DedupTests.Document(i, 60);
                yield return Rows.Text($"<p>{text}</p> contact user{i}@example.com", i + 1);
            }
        }
        var options = CleanOptions.Recommended with { StripHtml = true, ScrubPii = true, MinChars = 10 };
        var report = DataCleaner.Clean(Generate(), _ => consumed++, (_, _) => consumed++, options);
        Assert.Equal(50_000, report.Read);
        Assert.Equal(50_000, consumed);
        Assert.Equal(1, maxAhead);
        Assert.Equal(50_000, report.PiiCounts[PiiType.Email]);
        Assert.Equal(4_999, report.RemovedByReason["exact_duplicate"]);
        Assert.InRange(report.RemovedByReason["near_duplicate"], 4_900, 5_000); // LSH may miss a few: P(candidate | 0.9) ≈ 0.996
    }
}
