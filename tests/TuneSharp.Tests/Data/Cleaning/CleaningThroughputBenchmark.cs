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
/// email address and a phone number; 10% exact and 10% near duplicates). Rows are generated on the fly; the
/// generation cost is measured separately and subtracted.
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
        long chars = 0, bytes = 0;
        var clock = Stopwatch.StartNew();
        foreach (var r in Generate()) { var t = Rows.TextOf(r); chars += t.Length; bytes += Encoding.UTF8.GetByteCount(t); }
        var generate = clock.Elapsed.TotalSeconds;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{Count} rows, {bytes / 1e6:F1} MB UTF-8; generating them alone: {generate:F2}s"));

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
            var sw = Stopwatch.StartNew();
            var report = DataCleaner.Clean(Generate(), _ => kept++, (_, _) => { }, options);
            double seconds = Math.Max(1e-3, sw.Elapsed.TotalSeconds - generate);
            output.WriteLine(string.Create(inv,
                $"{name}: {seconds:F2}s, {Count / seconds:F0} rows/s, {bytes / 1e6 / seconds:F2} MB/s; kept {kept}, removed {string.Join(", ", report.RemovedByReason.Select(p => $"{p.Key} {p.Value}"))}"));
            Assert.Equal(Count, report.Read);
        }
    }
}
