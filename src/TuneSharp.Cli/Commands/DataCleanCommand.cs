using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using TuneSharp.Data.Cleaning;
using TuneSharp.Data.Dedup;
using TuneSharp.Data.Pii;
using TuneSharp.Data.Readers;
using TuneSharp.Data.Writing;
using TuneSharp.Inference;
using TuneSharp.Runtime;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp data clean IN OUT</c>: the cleaning pipeline as a command. Options select steps (none is on by
/// default; <c>--recommended</c> turns on the preset and other flags add to it). Kept rows go to OUT (JSONL),
/// removed rows with their reason and source line to a side file; both are written atomically.
/// </summary>
public static class DataCleanCommand
{
    /// <summary>Character shingles are this long: 3 characters are too common to tell documents apart.</summary>
    const int CharacterShingleSize = 5;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "Data file or folder (jsonl, csv, tsv, parquet, conll or text)" };
        var output = new Argument<string>("OUT") { Description = "Output JSONL of kept rows" };
        var removed = new Option<string?>("--removed") { HelpName = "FILE", Description = "Side file of removed rows (default: OUT with .removed.jsonl)" };
        var format = new Option<string?>("--format") { HelpName = "F", Description = "Input format: jsonl, csv, tsv, parquet, conll or text (default: detect)" };
        var fields = new Option<string?>("--fields") { HelpName = "a,b", Description = "Fields to clean, comma-separated (default: the row shape's text fields)" };
        var recommended = new Option<bool>("--recommended") { Description = "NFC, control chars, whitespace, drop empty, exact and near dedup (0.8); other flags add to it" };
        var normalize = new Option<string?>("--normalize") { HelpName = "none|nfc|nfkc", Description = "Unicode normalization: none, nfc or nfkc" };
        var controlChars = new Option<bool>("--control-chars") { Description = "Remove control and invisible format characters" };
        var whitespace = new Option<bool>("--whitespace") { Description = "Collapse runs of spaces and blank lines" };
        var stripHtml = new Option<bool>("--strip-html") { Description = "Strip HTML tags and decode entities" };
        var stripEmailHeaders = new Option<bool>("--strip-email-headers") { Description = "Strip the header block of raw emails" };
        var pii = new Option<bool>("--pii") { Description = "Replace PII with typed placeholders such as [EMAIL]; keeps every row" };
        var piiTypes = new Option<string?>("--pii-types") { HelpName = "EMAIL,PHONE,...", Description = "PII types to scrub, comma-separated (implies --pii): " + string.Join(",", PiiTypes.All.Select(PiiTypes.Name)) };
        var phoneRegion = new Option<string?>("--phone-region") { HelpName = "US,GB,...", Description = "Regions whose national phone numbers (no country code) are scrubbed, comma-separated ISO codes (default US)" };
        var namesModel = new Option<string?>("--pii-names-model") { HelpName = "DIR", Description = "Also scrub person names: a token-classification (NER) model folder with PER tags" };
        var minChars = new Option<string?>("--min-chars") { HelpName = "N", Description = "Remove rows with fewer characters" };
        var maxChars = new Option<string?>("--max-chars") { HelpName = "N", Description = "Remove rows with more characters" };
        var minAlpha = new Option<string?>("--min-alpha-ratio") { HelpName = "X", Description = "Remove rows whose share of letters is below this (0-1)" };
        var maxDupLines = new Option<string?>("--max-dup-line-fraction") { HelpName = "X", Description = "Remove rows with more repeated lines than this (0-1)" };
        var maxNgram = new Option<string?>("--max-top-ngram-share") { HelpName = "X", Description = "Remove rows whose top word 2-gram covers more than this (0-1)" };
        var dropEmpty = new Option<bool>("--drop-empty") { Description = "Remove rows with no text left" };
        var dedup = new Option<bool>("--dedup") { Description = "Remove exact duplicates (after case, whitespace and NFKC folding)" };
        var nearDedup = new Option<string?>("--near-dedup")
        {
            Description = "Remove near duplicates at this Jaccard similarity (default 0.8; put it after IN OUT when giving no value)",
            HelpName = "THRESHOLD",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var shingles = new Option<string?>("--near-dedup-shingles") { HelpName = "word|char", Description = $"Near-dedup shingles: word (3 words, default) or char ({CharacterShingleSize} characters)" };
        var seed = new Option<string?>("--seed") { HelpName = "N", Description = "Near-dedup hash seed (default 42)" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };

        var command = new Command("clean", "Clean a dataset: normalize, strip, scrub PII, filter and deduplicate; removed rows go to a side file")
        {
            input, output, removed, format, fields, recommended, normalize, controlChars, whitespace, stripHtml, stripEmailHeaders,
            pii, piiTypes, phoneRegion, namesModel, minChars, maxChars, minAlpha, maxDupLines, maxNgram, dropEmpty, dedup, nearDedup, shingles, seed, json,
        };
        command.SetAction(parse =>
        {
            var o = parse.GetValue(recommended) ? CleanOptions.Recommended : new CleanOptions();
            var types = OptionValues.List(parse.GetValue(piiTypes)).Select(t => PiiTypeOption(t)).ToList();
            var regions = parse.GetValue(phoneRegion) is { } r ? PhoneRegionOption(r) : null;
            if (types.Contains(PiiType.Person) && parse.GetValue(namesModel) is null)
                throw new UserError("--pii-types: PERSON needs --pii-names-model DIR (a token-classification model with PER tags)");
            o = o with
            {
                Fields = OptionValues.List(parse.GetValue(fields)) is { Count: > 0 } f ? f : o.Fields,
                Normalization = OptionValues.Choice(parse.GetValue(normalize), "--normalize", "none", "nfc", "nfkc") switch
                {
                    "none" => UnicodeForm.None,
                    "nfc" => UnicodeForm.Nfc,
                    "nfkc" => UnicodeForm.Nfkc,
                    _ => o.Normalization,
                },
                RemoveControlCharacters = o.RemoveControlCharacters || parse.GetValue(controlChars),
                CollapseWhitespace = o.CollapseWhitespace || parse.GetValue(whitespace),
                StripHtml = o.StripHtml || parse.GetValue(stripHtml),
                StripEmailHeaders = o.StripEmailHeaders || parse.GetValue(stripEmailHeaders),
                ScrubPii = o.ScrubPii || parse.GetValue(pii) || types.Count > 0,
                PiiTypes = types.Count > 0 ? types : o.PiiTypes,
                PhoneRegions = regions ?? o.PhoneRegions,
                MinChars = OptionValues.Int(parse.GetValue(minChars), "--min-chars", min: 0) ?? o.MinChars,
                MaxChars = OptionValues.Int(parse.GetValue(maxChars), "--max-chars", min: 1) ?? o.MaxChars,
                MinAlphabeticRatio = OptionValues.Fraction(parse.GetValue(minAlpha), "--min-alpha-ratio") ?? o.MinAlphabeticRatio,
                MaxDuplicateLineFraction = OptionValues.Fraction(parse.GetValue(maxDupLines), "--max-dup-line-fraction") ?? o.MaxDuplicateLineFraction,
                MaxTopNgramShare = OptionValues.Fraction(parse.GetValue(maxNgram), "--max-top-ngram-share") ?? o.MaxTopNgramShare,
                RemoveEmpty = o.RemoveEmpty || parse.GetValue(dropEmpty),
                ExactDedup = o.ExactDedup || parse.GetValue(dedup),
            };
            o = o with { NearDedup = NearDedupOptions(parse, o.NearDedup, nearDedup, shingles, seed) };
            if (o.MinChars > o.MaxChars) throw new UserError($"--min-chars ({o.MinChars}) is above --max-chars ({o.MaxChars})");
            if ((regions != null || parse.GetValue(namesModel) != null) && !o.ScrubPii)
                throw new UserError($"{(regions != null ? "--phone-region" : "--pii-names-model")}: needs --pii (or --pii-types)");
            // The model loads last, after every cheap check, and lives as long as the run.
            using var names = parse.GetValue(namesModel) is { } dir ? NamesModelOption(dir) : null;
            o = o with { PersonDetector = names };

            var inPath = parse.GetValue(input)!;
            var outPath = parse.GetValue(output)!;
            var removedPath = parse.GetValue(removed) ?? JsonlCleanWriter.DefaultRemovedPath(outPath);
            var fmt = parse.GetValue(format) is { } name ? DataSources.ParseFormat(name) : (DataFormat?)null;
            // onProblem null: an unreadable line stops the run with file:line; the outputs are left untouched.
            var report = JsonlCleanWriter.CleanToFiles(DataSources.Open(inPath, fmt), outPath, removedPath, o);

            var w = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) w.WriteLine(Json(report, inPath, outPath, removedPath).ToJsonString(JsonOutput.Indented));
            else
            {
                w.WriteLine($"{inPath} -> {outPath}");
                w.WriteLine(report.Summary());
                w.WriteLine($"removed rows ({report.Removed.ToString(CultureInfo.InvariantCulture)}): {removedPath} (with _removed_reason, _source_file, _source_line)");
            }
            return 0;
        });
        return command;
    }

    static PiiType PiiTypeOption(string name)
    {
        try { return PiiTypes.Parse(name); }
        catch (UserError e) { throw new UserError("--pii-types: " + e.Message, e); }
    }

    static IReadOnlyList<string> PhoneRegionOption(string list)
    {
        try { return PhoneRegions.Parse(list); }
        catch (UserError e) { throw new UserError("--phone-region: " + e.Message, e); }
    }

    static PersonNameDetector NamesModelOption(string dir)
    {
        try { return PersonNameDetector.Load(dir, DeviceSelection.Resolve("auto")); }
        catch (UserError e) { throw new UserError("--pii-names-model: " + e.Message, e); }
    }

    static NearDuplicateOptions? NearDedupOptions(ParseResult parse, NearDuplicateOptions? preset, Option<string?> nearDedup, Option<string?> shingles, Option<string?> seed)
    {
        var near = preset;
        if (parse.GetResult(nearDedup) is not null)
        {
            near ??= new NearDuplicateOptions();
            if (OptionValues.Fraction(parse.GetValue(nearDedup), "--near-dedup", exclusiveZero: true) is { } threshold)
                near = near with { Threshold = threshold };
        }
        var kind = OptionValues.Choice(parse.GetValue(shingles), "--near-dedup-shingles", "word", "char");
        var hashSeed = OptionValues.UInt64(parse.GetValue(seed), "--seed");
        if (near is null)
        {
            if (kind != null) throw new UserError("--near-dedup-shingles: needs --near-dedup (or --recommended)");
            if (hashSeed != null) throw new UserError("--seed: only near-dedup is seeded; add --near-dedup (or --recommended)");
            return null;
        }
        if (kind == "char") near = near with { Shingles = ShingleKind.Character, ShingleSize = CharacterShingleSize };
        if (hashSeed is { } s) near = near with { Seed = s };
        return near;
    }

    static JsonObject Json(CleanReport report, string inPath, string outPath, string removedPath) => new()
    {
        ["input"] = inPath,
        ["output"] = outPath,
        ["removed_file"] = removedPath,
        ["read"] = report.Read,
        ["kept"] = report.Kept,
        ["removed"] = report.Removed,
        ["removed_by_reason"] = Object(report.RemovedByReason),
        ["characters_changed_by_step"] = Object(report.CharactersChangedByStep),
        ["rows_changed_by_step"] = Object(report.RowsChangedByStep),
        ["pii"] = Object(report.PiiCounts.ToDictionary(p => PiiTypes.Name(p.Key), p => p.Value)),
        ["input_characters"] = report.InputCharacters,
        ["seconds"] = Math.Round(report.Elapsed.TotalSeconds, 3),
    };

    static JsonObject Object(IReadOnlyDictionary<string, long> counts)
    {
        var obj = new JsonObject();
        foreach (var (key, n) in counts.OrderBy(p => p.Key, StringComparer.Ordinal)) obj[key] = n;
        return obj;
    }
}
