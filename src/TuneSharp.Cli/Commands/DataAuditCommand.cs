using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TuneSharp.Data.Audit;
using TuneSharp.Data.Readers;
using TuneSharp.Data.Writing;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp data audit FILE</c>: finds likely label errors with confident learning over out-of-fold
/// probabilities, and prints them ranked (most suspicious first) with the audit summary.
/// </summary>
public static class DataAuditCommand
{
    const int SnippetLength = 70;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Labelled data file (any format data validate reads)" };
        var textField = new Option<string>("--text-field") { HelpName = "FIELD", Description = "Field holding the text", DefaultValueFactory = _ => "text" };
        var labelField = new Option<string>("--label-field") { HelpName = "FIELD", Description = "Field holding the label", DefaultValueFactory = _ => "label" };
        var folds = new Option<string?>("--folds") { HelpName = "N", Description = "Stratified folds for out-of-fold probabilities (default 5)" };
        var seed = new Option<string?>("--seed") { HelpName = "N", Description = "Seed of the folds and the classifier (default 42)" };
        var top = new Option<string?>("--top") { HelpName = "N", Description = "Flags to print (default 20)" };
        var output = new Option<string?>("--out") { HelpName = "FILE", Description = "Write every flag as JSONL to this file" };
        var format = new Option<string?>("--format") { HelpName = "F", Description = "jsonl, csv, tsv, parquet, conll or text (default: detect)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };

        var command = new Command("audit", "Find likely label errors (confident learning over out-of-fold predictions)")
        {
            file, textField, labelField, folds, seed, top, output, format, json,
        };
        command.SetAction(parse =>
        {
            var text = parse.GetValue(textField)!;
            var options = new AuditOptions
            {
                TextField = text,
                LabelField = parse.GetValue(labelField)!,
                Folds = OptionValues.Int(parse.GetValue(folds), "--folds", min: 2) ?? 5,
                Seed = OptionValues.Int(parse.GetValue(seed), "--seed") ?? 42,
            };
            int shown = OptionValues.Int(parse.GetValue(top), "--top", min: 0) ?? 20;
            var path = parse.GetValue(file)!;
            var fmt = parse.GetValue(format) is { } f ? DataSources.ParseFormat(f) : (DataFormat?)null;
            var report = LabelNoiseAudit.Run(DataSources.Open(path, fmt), options);

            var outPath = parse.GetValue(output);
            if (outPath != null)
                AtomicJsonlWriter.WriteAll(outPath, report.Issues.Select((issue, i) => Flag(issue, i + 1, text)));
            var w = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                w.WriteLine(Json(report, shown, text, outPath).ToJsonString(JsonOutput.Indented));
                return 0;
            }
            w.WriteLine(report.Summary(top: 0));
            foreach (var (issue, i) in report.Issues.Take(shown).Select((x, i) => (x, i)))
                w.WriteLine(Line(issue, i + 1, text));
            if (report.Issues.Count > shown) w.WriteLine($"  ... {report.Issues.Count - shown} more (--top N, or --out FILE for all)");
            if (outPath != null) w.WriteLine($"flags: {outPath} ({report.Issues.Count} rows)");
            return 0;
        });
        return command;
    }

    static string Line(LabelIssue i, int rank, string textField) => string.Create(CultureInfo.InvariantCulture,
        $"  {rank,3}. {i.Record.File}:{i.Record.Line}: labelled '{i.GivenLabel}', likely '{i.SuggestedLabel}' " +
        $"(self-confidence {i.SelfConfidence:F3}, p={i.SuggestedProbability:F3})  \"{Snippet(i.Text(textField))}\"");

    static JsonObject Flag(LabelIssue i, int rank, string textField) => i.ToJson(rank, textField);

    static JsonObject Json(AuditReport r, int shown, string textField, string? outPath) => new()
    {
        ["examples"] = r.Examples,
        ["classes"] = new JsonArray([.. r.Classes.Select((c, j) => (JsonNode)new JsonObject
        {
            ["name"] = c,
            ["rows"] = r.ClassCounts[j],
            ["threshold"] = r.Thresholds[j],
        })]),
        ["folds"] = r.Folds,
        ["classifier"] = r.Classifier,
        ["out_of_fold_accuracy"] = r.OutOfFoldAccuracy,
        ["flagged"] = r.Issues.Count,
        ["flags_file"] = outPath,
        ["flags"] = new JsonArray([.. r.Issues.Take(shown).Select((x, i) => (JsonNode)Flag(x, i + 1, textField))]),
        ["seconds"] = Math.Round(r.Elapsed.TotalSeconds, 3),
    };

    /// <summary>The text on one line, cut to <see cref="SnippetLength"/> characters.</summary>
    static string Snippet(string text)
    {
        var sb = new StringBuilder(SnippetLength + 1);
        bool space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            if (sb.Length >= SnippetLength) { sb.Append('…'); break; }
            sb.Append(c);
        }
        return sb.ToString();
    }
}
