using System.CommandLine;
using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.Data.Shapes;
using TuneSharp.Data.Tokens;
using TuneSharp.Data.Validation;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp data validate FILE</c>: reports every problem with file, line and field, then a summary.</summary>
public static class DataValidateCommand
{
    /// <summary>Creates the command; <paramref name="modelTokenCounter"/> loads --model DIR.</summary>
    public static Command Create(Func<string, ITokenCounter> modelTokenCounter)
    {
        var file = new Argument<string>("FILE") { Description = "Data file (.jsonl .csv .tsv .parquet .conll .txt) or folder of .txt files" };
        var task = new Option<string?>("--task") { Description = "classification, ner, pos, token-classification, seq2seq, instruction, chat or text (default: detect)" };
        var model = new Option<string?>("--model") { Description = "Model folder whose tokenizer counts tokens (default: whitespace words)" };
        var labels = new Option<string?>("--labels") { Description = "Allowed labels, comma-separated (integer labels index into them)" };
        var maxLength = new Option<int?>("--max-length") { Description = "Maximum example length in tokens" };
        var truncation = new Option<string>("--truncation")
        {
            Description = "What training does with longer examples: error, truncate or drop",
            DefaultValueFactory = _ => "error",
        };
        truncation.AcceptOnlyFromAmong("error", "truncate", "drop");
        var splitFiles = new Option<string?>("--split-files") { Description = "train,validation[,test] files, checked for overlap (leakage) in that order" };
        var fields = new Option<string[]>("--field") { Description = "Field mapping role=name, e.g. text=review (repeatable)" };
        var format = new Option<string?>("--format") { Description = "jsonl, csv, tsv, parquet, conll or text (default: detect)" };
        var textUnit = new Option<string>("--text-unit") { Description = "Raw text records: document, paragraph or line", DefaultValueFactory = _ => "document" };
        textUnit.AcceptOnlyFromAmong("document", "paragraph", "line");
        var json = new Option<bool>("--json") { Description = "Write the report as JSON" };

        var command = new Command("validate", "Check a dataset: format, fields, labels, tags, lengths, duplicates, split leakage")
        {
            file, task, model, labels, maxLength, truncation, splitFiles, fields, format, textUnit, json,
        };
        command.SetAction(parse =>
        {
            var splits = List(parse.GetValue(splitFiles));
            // Split files are read in train, validation, test order so that leakage is always reported on the later split.
            var main = parse.GetValue(file)!;
            var files = splits.Any(s => Path.GetFullPath(s) == Path.GetFullPath(main)) ? new List<string>(splits) : [main, .. splits];
            if (parse.GetValue(maxLength) is <= 0) throw new UserError("--max-length must be positive");
            var options = new ValidationOptions
            {
                Task = parse.GetValue(task) is { } t ? TaskSpec.Parse(t) : null,
                Fields = FieldNames.Parse(parse.GetValue(fields) ?? [], "--field"),
                Labels = parse.GetValue(labels) is { } l ? List(l) : null,
                MaxLength = parse.GetValue(maxLength),
                Truncation = Enum.Parse<TruncationPolicy>(parse.GetValue(truncation)!, ignoreCase: true),
                TokenCounter = parse.GetValue(model) is { } m ? modelTokenCounter(m) : WhitespaceTokenCounter.Instance,
                Format = parse.GetValue(format) is { } f ? DataSources.ParseFormat(f) : null,
                Read = ReadOptions.Default with { TextUnit = Enum.Parse<TextUnit>(parse.GetValue(textUnit)!, ignoreCase: true) },
            };
            var report = DataValidator.Validate(files, options, splits.Count > 0 ? splits : null);
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) ReportWriter.WriteJson(report, o);
            else ReportWriter.WriteText(report, o);
            return report.IsValid ? 0 : CliRunner.UserErrorExit;
        });
        return command;
    }

    static List<string> List(string? commaSeparated) =>
        (commaSeparated ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
