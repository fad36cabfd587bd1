using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TuneSharp.Data.Audit;

/// <summary>Precision and recall of an audit against labels flipped on purpose.</summary>
public sealed record NoiseMeasurement(int Examples, int Flipped, int Flagged, int FlaggedFlipped, double Precision, double Recall, AuditReport Report, TimeSpan Elapsed);

/// <summary>
/// Measures the audit on a labelled dataset: flips a seeded random fraction of labels to another class
/// (uniformly), runs <see cref="LabelNoiseAudit"/>, and scores its flags against the flipped set. Labels already
/// wrong in the dataset count as false positives here, so the precision is a lower bound.
/// </summary>
public static class LabelNoiseMeasurement
{
    /// <summary>Flips, audits and scores.</summary>
    public static NoiseMeasurement Run(IReadOnlyList<DataRecord> records, AuditOptions options, double flipFraction = 0.05, int flipSeed = 7)
    {
        var clock = Stopwatch.StartNew();
        var labels = records.Select(r => LabelNoiseAudit.LabelOf(r, options.LabelField)).ToArray();
        var classes = labels.Distinct().Order(StringComparer.Ordinal).ToArray();
        var rng = new Random(flipSeed);
        var order = Enumerable.Range(0, records.Count).ToArray();
        rng.Shuffle(order);
        var flipped = order.Take((int)Math.Round(records.Count * flipFraction)).ToHashSet();
        var noisy = new List<DataRecord>(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            if (!flipped.Contains(i)) { noisy.Add(records[i]); continue; }
            var others = classes.Where(c => c != labels[i]).ToArray();
            var fields = (JsonObject)records[i].Fields.DeepClone();
            fields[options.LabelField] = others[rng.Next(others.Length)];
            noisy.Add(records[i] with { Fields = fields });
        }
        var report = LabelNoiseAudit.Run(noisy, options);
        var index = new Dictionary<DataRecord, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < noisy.Count; i++) index[noisy[i]] = i;
        int hits = report.Issues.Count(issue => flipped.Contains(index[issue.Record]));
        return new NoiseMeasurement(records.Count, flipped.Count, report.Issues.Count, hits,
            report.Issues.Count == 0 ? 0 : (double)hits / report.Issues.Count,
            flipped.Count == 0 ? 0 : (double)hits / flipped.Count, report, clock.Elapsed);
    }

    /// <summary>
    /// Reads a JSONL file of objects (e.g. {"text": ..., "label": ...}) into records, for measuring without the
    /// full data readers. Blank lines are skipped; a bad line is a <see cref="UserError"/> naming it.
    /// </summary>
    public static List<DataRecord> ReadJsonl(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: file not found");
        var records = new List<DataRecord>();
        long line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                if (JsonNode.Parse(text) is JsonObject o) records.Add(new DataRecord(path, line, o));
                else throw new UserError($"{path}:{line}: expected a JSON object");
            }
            catch (JsonException e) { throw new UserError($"{path}:{line}: invalid JSON ({e.Message})", e); }
        }
        return records;
    }
}
