using System.Diagnostics;
using System.Globalization;
using System.Text;
using TuneSharp.Data;
using TuneSharp.Data.Cleaning;
using TuneSharp.Data.Dedup;
using TuneSharp.Tests.Data.Dedup;
using Xunit.Abstractions;

namespace TuneSharp.Tests.Data.Cleaning;

/// <summary>A benchmark, not a check: runs only with TUNESHARP_BENCH=1 (skipped otherwise, with the reason).</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TUNESHARP_BENCH") != "1") Skip = "benchmark: set TUNESHARP_BENCH=1 to run";
    }
}

/// <summary>
/// Throughput of cleaning and dedup on 100k generated rows (~600 characters each: 80 words, a little HTML, an
/// email address and a phone number; 10% exact and 10% near duplicates, once PII is scrubbed). Rows are
/// generated into memory first so that only cleaning is timed; each configuration runs twice and the faster run
/// is reported (the machine is shared, so the slower run mostly measures other people's work).
/// </summary>
public class CleaningThroughputBenchmark(ITestOutputHelper output)
{
    const int Count = 100_000;

    static IEnumerable<DataRecord> Generate()
    {
        for (int i = 0; i < Count; i++)
        {
            var body = i % 10 == 0 && i > 0 ? DedupTests.Document(i - 7, 80)
                : i % 10 == 5 ? DedupTests.ChangeWords(DedupTests.Document(i - 3, 80), 40)
                : DedupTests.Document(i, 80);
            yield return Rows.Text($"<div><p>{body}</p>\n<p>Contact   user{i % 977}@example.com or +1 (415) 555-{i % 9000 + 1000:D4}.</p></div>", i + 1);
        }
    }

    [BenchFact]
    public void Throughput_on_100k_rows()
    {
        var rows = Generate().ToList();
        long bytes = rows.Sum(r => (long)Encoding.UTF8.GetByteCount(Rows.TextOf(r)));
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{Count} rows, {bytes / 1e6:F1} MB UTF-8 of text, {Environment.ProcessorCount} cores"));

        Measure("clean (html, NFC, control, whitespace, PII, quality)", new CleanOptions
        {
            StripHtml = true, Normalization = UnicodeNormalization.Nfc, RemoveControlCharacters = true, CollapseWhitespace = true,
            ScrubPii = true, MinChars = 20, MinAlphabeticRatio = 0.5, MaxDuplicateLineFraction = 0.3, MaxTopNgramShare = 0.2,
        });
        Measure("exact dedup", new CleanOptions { ExactDedup = true });
        Measure("near dedup (MinHash 128, word 3-shingles, LSH 0.8)", new CleanOptions { NearDedup = new NearDuplicateOptions() });
        Measure("everything above", new CleanOptions
        {
            StripHtml = true, Normalization = UnicodeNormalization.Nfc, RemoveControlCharacters = true, CollapseWhitespace = true,
            ScrubPii = true, MinChars = 20, MinAlphabeticRatio = 0.5, MaxDuplicateLineFraction = 0.3, MaxTopNgramShare = 0.2,
            ExactDedup = true, NearDedup = new NearDuplicateOptions(),
        });

        void Measure(string name, CleanOptions options)
        {
            long kept = 0;
            double seconds = double.MaxValue;
            CleanReport report = null!;
            for (int run = 0; run < 2; run++)
            {
                kept = 0;
                var sw = Stopwatch.StartNew();
                report = DataCleaner.Clean(rows, _ => kept++, (_, _) => { }, options);
                seconds = Math.Min(seconds, sw.Elapsed.TotalSeconds);
            }
            output.WriteLine(string.Create(inv,
                $"{name}: {seconds:F2}s, {Count / seconds:F0} rows/s, {bytes / 1e6 / seconds:F2} MB/s; kept {kept}, removed {string.Join(", ", report.RemovedByReason.Select(p => $"{p.Key} {p.Value}"))}"));
            Assert.Equal(Count, report.Read);
        }
    }
}
