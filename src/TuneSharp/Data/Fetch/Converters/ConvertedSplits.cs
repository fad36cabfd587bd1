using System.Text.Json.Nodes;
using TuneSharp.Data.Splits;
using TuneSharp.Data.Writing;

namespace TuneSharp.Data.Fetch.Converters;

/// <summary>Shared steps of the converters: optional stratified sampling, seeded splitting, atomic JSONL writing.</summary>
internal static class ConvertedSplits
{
    /// <summary>The split file names, in order.</summary>
    public static readonly string[] Names = ["train", "validation", "test"];

    /// <summary>Wraps rows as records (line = 1-based position) so the splitter can name them in errors.</summary>
    public static List<DataRecord> AsRecords(string source, IEnumerable<JsonObject> rows) =>
        rows.Select((r, i) => new DataRecord(source, i + 1, r)).ToList();

    /// <summary>
    /// About <paramref name="n"/> records drawn with the same stratified, group-aware assignment as the splits
    /// (the "train" part of an n/N : rest split), in input order; all records when n is null or not smaller.
    /// </summary>
    public static List<DataRecord> Sample(List<DataRecord> records, int? n, int seed, string? stratifyBy = null, string? groupBy = null, string contentField = "text")
    {
        if (n is not int size || size >= records.Count) return records;
        if (size <= 0) throw new UserError($"--sample {size}: must be positive");
        double fraction = (double)size / records.Count;
        return DataSplitter.Split(records, new SplitOptions
        {
            Ratios = new SplitRatios(fraction, 1 - fraction, 0),
            Seed = seed,
            StratifyBy = stratifyBy,
            GroupBy = groupBy,
            GroupKey = SameContent(contentField),
        }).Train.ToList();
    }

    /// <summary>
    /// Groups records whose <paramref name="field"/> is equal after <see cref="Validation.ContentHash"/> normalization:
    /// public corpora repeat messages, and a copy in train and another in test would leak.
    /// </summary>
    public static Func<DataRecord, string> SameContent(string field) => r =>
        r.Fields[field] is JsonValue v && v.TryGetValue<string>(out var s) ? Validation.ContentHash.Of(s).ToString("x32") : $"{r.File}#{r.Line}";

    /// <summary>Splits 80/10/10 and writes <c>outDir/{train,validation,test}.jsonl</c>.</summary>
    public static IReadOnlyList<WrittenFile> SplitAndWrite(List<DataRecord> records, string outDir, int seed, string? stratifyBy = null, string? groupBy = null, string contentField = "text")
    {
        var split = DataSplitter.Split(records, new SplitOptions { Seed = seed, StratifyBy = stratifyBy, GroupBy = groupBy, GroupKey = SameContent(contentField) });
        return Write(outDir, [split.Train, split.Validation, split.Test]);
    }

    /// <summary>Writes the three parts as train/validation/test JSONL under <paramref name="outDir"/>.</summary>
    public static IReadOnlyList<WrittenFile> Write(string outDir, IReadOnlyList<IReadOnlyList<DataRecord>> parts)
    {
        var written = new List<WrittenFile>();
        for (int i = 0; i < Names.Length; i++)
        {
            var path = Path.Combine(outDir, Names[i] + ".jsonl");
            written.Add(new WrittenFile(path, AtomicJsonlWriter.WriteAll(path, parts[i].Select(r => r.Fields))));
        }
        return written;
    }
}
