using System.CommandLine;
using TuneSharp.Data.Readers;
using TuneSharp.Inference;
using TuneSharp.Recipes;
using TuneSharp.Runtime;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp predict --model DIR --task TASK --input FILE --output OUT.jsonl</c> (or <c>predict RECIPE --input ... --output ...</c>):
/// batch inference over unlabeled records to JSONL.
/// </summary>
public static class PredictCommand
{
    /// <summary>The <c>predict</c> command.</summary>
    public static Command Create()
    {
        var recipe = new Argument<string?>("recipe") { Description = "Optional YAML recipe: task, fields and model (output_dir/model) come from it", Arity = ArgumentArity.ZeroOrOne };
        var overrides = new Argument<string[]>("overrides") { Description = "key=value recipe overrides", Arity = ArgumentArity.ZeroOrMore };
        var model = new Option<string?>("--model") { Description = "Trained Hugging Face model folder (e.g. runs/NAME/model)" };
        var task = new Option<string?>("--task") { Description = "sequence-classification | token-classification | causal-lm-sft | seq2seq | causal-lm" };
        var input = new Option<string>("--input") { Description = "Records to predict (JSONL, CSV/TSV, Parquet, CoNLL or text); labels are not needed", Required = true };
        var output = new Option<string>("--output") { Description = "Output JSONL: each input record plus its predictions (written atomically)", Required = true };
        var field = new Option<string[]>("--field") { Description = "Field mapping ROLE=NAME, e.g. text=body (repeatable)" };
        var format = new Option<string?>("--format") { Description = "Input format: jsonl, csv, tsv, parquet, conll, text (default: by extension)" };
        var batchSize = new Option<string?>("--batch-size") { Description = "Records per forward pass (classifiers; default 8)" };
        var maxNew = new Option<string?>("--max-new-tokens") { Description = "Generation: new tokens per record (greedy, stops at EOS; default 64)" };
        var maxLength = new Option<string?>("--max-length") { Description = "Classifiers: tokens per input, longer inputs truncated (default 512, or the recipe's)" };
        var head = new Option<string?>("--head") { Description = "Multi-task model: the head (task) to predict with, by name" };
        var device = new Option<string?>("--device") { Description = "auto (CUDA if available), cpu or cuda" };
        device.AcceptOnlyFromAmong(DeviceSelection.Choices);
        var command = new Command("predict", "Batch inference with a trained model: label, tags or generated text for every record, to JSONL")
        { recipe, overrides, model, task, input, output, field, format, batchSize, maxNew, maxLength, head, device };
        command.SetAction(parse =>
        {
            var options = Options(parse.GetValue(recipe), parse.GetValue(overrides) ?? [], parse.GetValue(model), parse.GetValue(task), parse.GetValue(head));
            options = options with
            {
                Fields = options.Fields.Apply(parse.GetValue(field) ?? [], "--field"),
                Format = parse.GetValue(format) is { } f ? DataSources.ParseFormat(f) : null,
                BatchSize = OptionValues.Int(parse.GetValue(batchSize), "--batch-size", 1) ?? options.BatchSize,
                MaxNewTokens = OptionValues.Int(parse.GetValue(maxNew), "--max-new-tokens", 1) ?? options.MaxNewTokens,
                MaxLength = OptionValues.Int(parse.GetValue(maxLength), "--max-length", 1) ?? options.MaxLength,
                Device = parse.GetValue(device) ?? options.Device,
            };
            var outPath = parse.GetValue(output)!;
            long rows = BatchPrediction.Run(parse.GetValue(input)!, outPath, options);
            parse.InvocationConfiguration.Output.WriteLine($"{options.Task}: {rows} record(s) predicted with {Path.GetFullPath(options.ModelDir)} -> {Path.GetFullPath(outPath)}");
            return 0;
        });
        return command;
    }

    static PredictOptions Options(string? recipePath, string[] overrides, string? model, string? task, string? head)
    {
        if (recipePath is not null)
        {
            var fromRecipe = RecipePredictOptions.From(RecipeLoader.Load(recipePath, overrides), head);
            return fromRecipe with
            {
                ModelDir = model ?? ModelFolderCheck.Require(fromRecipe.ModelDir, "train the recipe first, or pass --model DIR"),
                Task = task ?? fromRecipe.Task,
            };
        }
        if (overrides.Length > 0) throw new UserError($"predict: '{overrides[0]}': key=value overrides need a RECIPE");
        if (model is null || task is null)
            throw new UserError("predict: give --model DIR and --task TASK, or a RECIPE (e.g. predict recipes/sequence-classification/x.yaml --input ... --output ...)");
        return new PredictOptions { ModelDir = model, Task = task, Head = head };
    }
}
