using System.Globalization;
using System.Text.Json.Nodes;
using TuneSharp.Data.Pii;
using Xunit.Abstractions;

namespace TuneSharp.Tests.Data.Pii;

/// <summary>
/// Span-level precision and recall of <see cref="PiiScrubber"/> on the hand-written labelled set
/// (pii_cases.jsonl: 228 sentences, 140 PII spans, 108 hard negatives such as versions, dates, ISBNs,
/// Luhn-failing card numbers, octets above 255, bad IBAN checksums and never-issued SSN ranges).
/// A prediction counts only when start, end and type all match a labelled span.
/// </summary>
public class PiiLabelledSetTests(ITestOutputHelper output)
{
    internal sealed record Case(string Text, List<(PiiType Type, int Start, int End)> Spans);

    internal static List<Case> Load()
    {
        var path = Path.Combine(Fixtures.RepoRoot, "tests/TuneSharp.Tests/Data/Pii/pii_cases.jsonl");
        var cases = new List<Case>();
        foreach (var line in File.ReadLines(path))
        {
            var o = JsonNode.Parse(line)!.AsObject();
            var spans = o["spans"]!.AsArray()
                .Select(s => (PiiTypes.Parse((string)s!["type"]!), (int)s["start"]!, (int)s["end"]!)).ToList();
            var text = (string)o["text"]!;
            cases.Add(new Case(text, spans));
        }
        return cases;
    }

    [Fact]
    public void Labelled_set_is_large_and_consistent()
    {
        var cases = Load();
        Assert.True(cases.Count >= 200, $"{cases.Count} cases");
        Assert.True(cases.Count(c => c.Spans.Count == 0) >= 100, "hard negatives");
        foreach (var type in PiiTypes.All) Assert.Contains(cases, c => c.Spans.Any(s => s.Type == type));
        foreach (var c in cases)
            foreach (var s in c.Spans) Assert.InRange(s.End, s.Start + 1, c.Text.Length);
    }

    /// <summary>
    /// Thresholds: precision ≥ 0.97 and recall ≥ 0.95. Scrubbing runs on training data, where a false positive
    /// destroys a version number or date the model should learn, and a false negative leaks PII; both kinds of
    /// error are rare by design (checksums, ranges), so anything below these means a detector regressed.
    /// </summary>
    [Fact]
    public void Precision_and_recall_on_the_labelled_set()
    {
        var scrubber = new PiiScrubber();
        int tp = 0, fp = 0, fn = 0;
        var perType = PiiTypes.All.ToDictionary(t => t, _ => new int[3]);
        foreach (var c in Load())
        {
            var expected = c.Spans.ToHashSet();
            var predicted = scrubber.Find(c.Text).Select(f => (f.Type, f.Start, f.End)).ToHashSet();
            foreach (var p in predicted)
            {
                if (expected.Contains(p)) { tp++; perType[p.Type][0]++; }
                else { fp++; perType[p.Type][1]++; output.WriteLine($"FP {PiiTypes.Name(p.Type)} '{c.Text[p.Start..p.End]}' in: {c.Text}"); }
            }
            foreach (var e in expected.Where(e => !predicted.Contains(e)))
            {
                fn++; perType[e.Type][2]++;
                output.WriteLine($"FN {PiiTypes.Name(e.Type)} '{c.Text[e.Start..e.End]}' in: {c.Text}");
            }
        }
        double precision = (double)tp / (tp + fp), recall = (double)tp / (tp + fn);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"PII spans: tp={tp} fp={fp} fn={fn} precision={precision:F4} recall={recall:F4}"));
        foreach (var (type, n) in perType)
            output.WriteLine(string.Create(inv, $"  {PiiTypes.Name(type),-16} tp={n[0],3} fp={n[1],2} fn={n[2],2}"));
        Assert.True(precision >= 0.97, string.Create(inv, $"precision {precision:F4}"));
        Assert.True(recall >= 0.95, string.Create(inv, $"recall {recall:F4}"));
    }
}
