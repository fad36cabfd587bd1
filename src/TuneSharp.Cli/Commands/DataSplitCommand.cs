using System.CommandLine;
using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.Data.Splits;
using TuneSharp.Data.Writing;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp data split FILE --out DIR</c>: seeded, stratified, group-aware splits or k folds, written as JSONL.</summary>
public static class DataSplitCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Data file or folder (any format data validate reads)" };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var ratios = new Option<string>("--ratios") { Description = "train,validation,test proportions", DefaultValueFactory = _ => "0.8,0.1,0.1" };
        var seed = new Option<int>("--seed") { Description = "Shuffle seed", DefaultValueFactory = _ => 13 };
        var stratify = new Option<string?>("--stratify") { Description = "Keep this field's values in proportion in every split (e.g. label)" };
        var groupBy = new Option<string?>("--group-by") { Description = "Keep records sharing this field's value in one split" };
        var k = new Option<int?>("--k") { Description = "Write k folds (fold-N/train.jsonl, fold-N/validation.jsonl) instead of --ratios" };
        var format = new Option<string?>("--format") { Description = "jsonl, csv, tsv, parquet, conll or text (default: detect)" };

        var command = new Command("split", "Split a dataset into train/validation/test (or k folds), deterministically")
        {
            file, output, ratios, seed, stratify, groupBy, k, format,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var fmt = parse.GetValue(format) is { } f ? DataSources.ParseFormat(f) : (DataFormat?)null;
            // Splitting needs every record's stratum and group before assigning any, so the records are held in memory.
            var records = DataSources.Open(path, fmt).ToList();
            if (records.Count == 0) throw new UserError($"{path}: no records to split");
            var options = new SplitOptions
            {
                Ratios = SplitRatios.Parse(parse.GetValue(ratios)!),
                Seed = parse.GetValue(seed),
                StratifyBy = parse.GetValue(stratify),
                GroupBy = parse.GetValue(groupBy),
            };
            var outDir = parse.GetValue(output)!;
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(k) is int folds)
            {
                foreach (var fold in DataSplitter.KFold(records, folds, options))
                {
                    var dir = Path.Combine(outDir, $"fold-{fold.Index}");
                    Write(o, Path.Combine(dir, "train.jsonl"), fold.Train);
                    Write(o, Path.Combine(dir, "validation.jsonl"), fold.Validation);
                }
                return 0;
            }
            var split = DataSplitter.Split(records, options);
            Write(o, Path.Combine(outDir, "train.jsonl"), split.Train);
            Write(o, Path.Combine(outDir, "validation.jsonl"), split.Validation);
            if (options.Ratios.Test > 0) Write(o, Path.Combine(outDir, "test.jsonl"), split.Test);
            return 0;
        });
        return command;
    }

    static void Write(TextWriter o, string path, IReadOnlyList<DataRecord> records)
    {
        long n = AtomicJsonlWriter.WriteAll(path, records.Select(r => r.Fields));
        o.WriteLine($"{path}: {n} records");
    }
}
