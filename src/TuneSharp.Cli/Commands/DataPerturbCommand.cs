using System.CommandLine;
using System.Globalization;
using TuneSharp.Data.Perturb;
using TuneSharp.Data.Readers;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp data perturb --input F --output F --field text [--typo-rate R] [--ops swap,drop,insert,keyboard]
/// [--word-drop R] --seed S</c>: a robustness test set, the same records with typos and dropped words.
/// </summary>
public static class DataPerturbCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var input = new Option<string>("--input") { HelpName = "FILE", Description = "Data file (jsonl, csv, tsv, parquet, conll or text)", Required = true };
        var output = new Option<string>("--output") { HelpName = "FILE", Description = "Output JSONL (written atomically)", Required = true };
        var field = new Option<string>("--field") { HelpName = "NAME", Description = "The text field to perturb (default text)", DefaultValueFactory = _ => "text" };
        var typoRate = new Option<double>("--typo-rate") { HelpName = "R", Description = "Probability that each letter gets a typo (default 0); a swap drawn at a word's last letter makes none, so the printed share is a little lower" };
        var ops = new Option<string>("--ops") { HelpName = "swap,drop,insert,keyboard", Description = "Typos to draw from, uniformly (default all four)", DefaultValueFactory = _ => "swap,drop,insert,keyboard" };
        var wordDrop = new Option<double>("--word-drop") { HelpName = "R", Description = "Probability that each word is removed (default 0; one word always stays)" };
        var seed = new Option<int>("--seed") { HelpName = "S", Description = "Seed: the same seed gives the same file", Required = true };
        var format = new Option<string?>("--format") { HelpName = "F", Description = "Input format (default: detect)" };
        var command = new Command("perturb", "Write a perturbed copy of a dataset (character typos, word drop) for robustness tests, deterministic under --seed")
        { input, output, field, typoRate, ops, wordDrop, seed, format };
        command.SetAction(parse =>
        {
            var options = new PerturbOptions(parse.GetValue(typoRate), PerturbOptions.ParseOps(parse.GetValue(ops)!, "--ops"), parse.GetValue(wordDrop));
            var fmt = parse.GetValue(format) is { } f ? DataSources.ParseFormat(f) : (DataFormat?)null;
            var outPath = parse.GetValue(output)!;
            var r = DatasetPerturbation.Run(parse.GetValue(input)!, outPath, parse.GetValue(field)!, options, parse.GetValue(seed), fmt);
            parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{outPath}: {r.Records} records; {r.Typos} typos in {r.Letters} letters ({r.TypoShare:P2}); {r.WordsDropped} of {r.Words} words dropped ({r.WordDropShare:P2})"));
            return 0;
        });
        return command;
    }
}
