using TuneSharp.Data.Cleaning;

namespace TuneSharp.Tests.Data.Cleaning;

public class QualityFilterTests
{
    const string Prose = "The committee met on Tuesday to review the budget for next year. Several members asked " +
                         "whether the proposed cuts to the library would affect opening hours, and the chair promised " +
                         "a written answer before the next meeting.";

    [Fact]
    public void Alphabetic_ratio_separates_prose_from_numbers_and_symbols()
    {
        Assert.True(QualityFilter.AlphabeticRatio(Prose) > 0.9);
        Assert.True(QualityFilter.AlphabeticRatio("1234 5678 ---- #### 99.5% $$$ 42") < 0.1);
        Assert.Equal(1.0, QualityFilter.AlphabeticRatio("   "));
    }

    [Fact]
    public void Duplicate_line_fraction_counts_repeats_of_earlier_lines()
    {
        Assert.Equal(0, QualityFilter.DuplicateLineFraction("a\nb\nc"));
        Assert.Equal(0.5, QualityFilter.DuplicateLineFraction("click here\nclick here\n\nclick here\nbuy now"));
    }

    [Fact]
    public void Top_ngram_share_flags_repetition()
    {
        var spammy = string.Concat(Enumerable.Repeat("buy now ", 30)) + "limited offer";
        Assert.True(QualityFilter.TopNgramShare(spammy, 2) > 0.8);
        Assert.True(QualityFilter.TopNgramShare(Prose, 2) < 0.1);
        Assert.Equal(0, QualityFilter.TopNgramShare("one", 2));
    }

    [Fact]
    public void Cleaner_removes_rows_by_length_and_quality_with_reasons()
    {
        var spammy = string.Concat(Enumerable.Repeat("buy now ", 30));
        var repeatedLines = string.Join("\n", Enumerable.Repeat("Click here to unsubscribe now", 6));
        var options = new CleanOptions
        {
            MinChars = 20, MaxChars = 400, MinAlphabeticRatio = 0.6, MaxDuplicateLineFraction = 0.3, MaxTopNgramShare = 0.2,
        };
        var removed = new List<(long Line, string Reason)>();
        var kept = new List<long>();
        var report = DataCleaner.Clean(
            Rows.Texts(Prose, "too short", new string('x', 10) + " " + Prose + Prose + Prose, "12345 67890 11121 31415 92653 58979", spammy, repeatedLines),
            r => kept.Add(r.Line), (r, reason) => removed.Add((r.Line, reason)), options);
        Assert.Equal([1L], kept);
        Assert.Equal(["too_short", "too_long", "low_alphabetic_ratio", "repeated_ngrams", "repeated_lines"],
            removed.Select(r => RemovalReasons.CodeOf(r.Reason)));
        Assert.StartsWith("too_short: 9 < 20", removed[0].Reason);
        Assert.Equal(5, report.Removed);
        Assert.Equal(1, report.RemovedByReason["repeated_lines"]);
    }
}
