using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Cleaning;
using TuneSharp.Data.Dedup;

namespace TuneSharp.Bench;

/// <summary>
/// clean-throughput: cleaning and dedup on N generated rows (~640 bytes each: 80 words in &lt;div&gt;&lt;p&gt; markup,
/// an email address and a phone number; 10% exact and 10% near duplicates once PII is scrubbed). Rows are
/// generated into memory first so that only cleaning is timed; each configuration runs twice and the faster
/// run is reported (on a shared machine the slower run mostly measures other people's work).
/// </summary>
public static class CleanThroughputBenchmark
{
    static readonly string[] Vocabulary =
    [
        "river", "mountain", "engine", "market", "garden", "theory", "signal", "window", "forest", "bridge",
        "number", "letter", "planet", "castle", "winter", "summer", "doctor", "island", "silver", "rocket",
        "paper", "music", "coffee", "valley", "harbor", "circle", "dragon", "school", "motor", "pencil",
        "camera", "butter", "shadow", "lantern", "meadow", "thunder", "canvas", "pepper", "glacier", "violin",
    ];

    /// <summary>Runs the benchmark; options: <c>--count N</c> (default 100000).</summary>
    public static int Run(string[] args)
    {
        int count = 100_000;
        for (int i = 0; i < args.Length; i++)
            if (args[i] == "--count" && i + 1 < args.Length) count = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else { Console.Error.WriteLine($"clean-throughput: unknown option {args[i]}"); return 2; }

        var rows = Generate(count).ToList();
        long bytes = rows.Sum(r => (long)Encoding.UTF8.GetByteCount((string)r.Fields["text"]!));
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{count} rows, {bytes / 1e6:F1} MB UTF-8 of text, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}"));

        var clean = new CleanOptions
        {
            StripHtml = true, Normalization = UnicodeForm.Nfc, RemoveControlCharacters = true, CollapseWhitespace = true,
            ScrubPii = true, MinChars = 20, MinAlphabeticRatio = 0.5, MaxDuplicateLineFraction = 0.3, MaxTopNgramShare = 0.2,
        };
        Measure("clean (html, NFC, control, whitespace, PII, quality)", clean);
        Measure("exact dedup", new CleanOptions { ExactDedup = true });
        Measure("near dedup (MinHash 128, word 3-shingles, LSH 0.8)", new CleanOptions { NearDedup = new NearDuplicateOptions() });
        Measure("everything above", clean with { ExactDedup = true, NearDedup = new NearDuplicateOptions() });
        return 0;

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
            if (report.Read != count) throw new InvalidOperationException($"{name}: read {report.Read} of {count}");
            Console.WriteLine(string.Create(inv,
                $"{name}: {seconds:F2}s, {count / seconds:F0} rows/s, {bytes / 1e6 / seconds:F2} MB/s; kept {kept}, removed {string.Join(", ", report.RemovedByReason.Select(p => $"{p.Key} {p.Value}"))}"));
        }
    }

    static IEnumerable<DataRecord> Generate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var body = i % 10 == 0 && i > 0 ? Document(i - 7, 80)
                : i % 10 == 5 ? ChangeWord(Document(i - 3, 80), 40)
                : Document(i, 80);
            var text = string.Create(CultureInfo.InvariantCulture,
                $"<div><p>{body}</p>\n<p>Contact   user{i % 977}@example.com or +1 (415) 555-{i % 9000 + 1000:D4}.</p></div>");
            yield return new DataRecord("in.jsonl", i + 1, new JsonObject { ["text"] = text });
        }
    }

    /// <summary>The same seeded documents as the dedup tests: <paramref name="words"/> words from a 40-word vocabulary.</summary>
    static string Document(int seed, int words)
    {
        var rng = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => Vocabulary[rng.Next(Vocabulary.Length)]));
    }

    static string ChangeWord(string text, int position)
    {
        var w = text.Split(' ');
        w[position] = "changed" + position.ToString(CultureInfo.InvariantCulture);
        return string.Join(' ', w);
    }
}
