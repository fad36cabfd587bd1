using System.CommandLine;
using System.Diagnostics;
using TuneSharp.Data.Readers;
using TuneSharp.Tokenization.Training;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp tokenizer train</c>: trains a byte-level BPE tokenizer and writes it as a Hugging Face tokenizer folder.</summary>
public static class TokenizerCommand
{
    /// <summary>The <c>tokenizer</c> command with its <c>train</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("tokenizer", "Train tokenizers");
        command.Subcommands.Add(CreateTrain());
        return command;
    }

    static Command CreateTrain()
    {
        var input = new Option<string[]>("--input") { Description = "Training data: a file or folder (repeatable)", Required = true };
        var format = new Option<string?>("--format") { Description = "jsonl, csv, tsv, parquet, conll or text (default: detect)" };
        var field = new Option<string>("--field") { Description = "The field holding the text", DefaultValueFactory = _ => "text" };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Vocabulary size, special tokens and the 256 bytes included", Required = true };
        var minFrequency = new Option<long>("--min-frequency") { Description = "Merge only pairs seen at least this often", DefaultValueFactory = _ => 2 };
        var special = new Option<string[]>("--special") { Description = "Extra special token after <|endoftext|> <|im_start|> <|im_end|> <|pad|> (repeatable)" };
        var output = new Option<string>("--out") { Description = "Output folder for tokenizer.json, tokenizer_config.json, chat_template.jinja", Required = true };
        var maxChars = new Option<long?>("--max-chars") { Description = "Train on at most this many characters" };
        var maxLength = new Option<int?>("--model-max-length") { Description = "tokenizer_config.json model_max_length (default: no limit)" };

        var command = new Command("train", "Train a byte-level BPE tokenizer (GPT-2 style, as Hugging Face tokenizers trains it)")
        {
            input, format, field, vocabSize, minFrequency, special, output, maxChars, maxLength,
        };
        command.SetAction(parse =>
        {
            var options = new BpeTrainerOptions
            {
                VocabSize = parse.GetValue(vocabSize),
                MinFrequency = parse.GetValue(minFrequency),
                SpecialTokens = BpeTrainerOptions.ChatSpecialTokens.Concat(parse.GetValue(special) ?? []).Distinct(StringComparer.Ordinal).ToArray(),
            };
            // Checked before any reading, so a typo costs no time.
            if (options.VocabSize < options.MinimumVocabSize)
                throw new UserError($"--vocab-size {options.VocabSize} is too small: the {options.SpecialTokens.Count} special tokens and 256 bytes " +
                                    $"already take {options.MinimumVocabSize}");
            if (options.MinFrequency < 0) throw new UserError($"--min-frequency must not be negative (got {options.MinFrequency})");
            if (options.SpecialTokens.Any(string.IsNullOrEmpty)) throw new UserError("--special: a special token must not be empty");
            if (parse.GetValue(maxLength) is <= 0) throw new UserError("--model-max-length must be positive");
            var fmt = parse.GetValue(format) is { } f ? DataSources.ParseFormat(f) : (DataFormat?)null;
            var texts = new TrainingTexts(parse.GetValue(input)!, fmt, parse.GetValue(field)!, parse.GetValue(maxChars));
            var outDir = parse.GetValue(output)!;

            var clock = Stopwatch.StartNew();
            var trainer = new BpeTrainer(options);
            trainer.Feed(texts.Read());
            if (trainer.CharsProcessed == 0)
                throw new UserError($"no text to train on: no record has a string field '{parse.GetValue(field)}'");
            var counted = clock.Elapsed;
            var model = trainer.Train();
            TokenizerFilesWriter.Write(model, outDir, parse.GetValue(maxLength));
            var seconds = clock.Elapsed.TotalSeconds;

            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"vocab size      {model.Vocab.Count} ({model.SpecialTokens.Count} special tokens first)");
            if (model.Vocab.Count < options.VocabSize)
                o.WriteLine($"note            stopped before {options.VocabSize}: no pair left seen at least {Math.Max(1, options.MinFrequency)} times");
            o.WriteLine($"merges          {model.Merges.Count}");
            o.WriteLine($"chars processed {trainer.CharsProcessed:N0} in {trainer.TextsProcessed:N0} texts ({trainer.DistinctWords:N0} distinct words)");
            if (texts.Skipped > 0) o.WriteLine($"skipped         {texts.Skipped:N0} records without a string '{parse.GetValue(field)}'");
            o.WriteLine($"time            {seconds:F1} s (reading and counting {counted.TotalSeconds:F1} s, merging {seconds - counted.TotalSeconds:F1} s; {trainer.CharsProcessed / Math.Max(seconds, 1e-3):N0} chars/s)");
            o.WriteLine($"wrote           {Path.Combine(outDir, "tokenizer.json")}, tokenizer_config.json, chat_template.jinja");
            return 0;
        });
        return command;
    }
}
