using System.CommandLine;
using TuneSharp.Data.Writing;
using TuneSharp.Inference;
using TuneSharp.Recipes;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp eval RECIPE [key=value ...] [--model DIR] [--split validation|test] [--json] [--embedding-noise R]</c>: evaluate a trained model.</summary>
public static class EvalCommand
{
    /// <summary>The <c>eval</c> command.</summary>
    public static Command Create()
    {
        var recipe = new Argument<string>("recipe") { Description = "YAML recipe: task and data settings (see recipes/)" };
        var overrides = new Argument<string[]>("overrides") { Description = "key=value overrides, e.g. data.test=other.jsonl", Arity = ArgumentArity.ZeroOrMore };
        var model = new Option<string?>("--model") { Description = "Model folder to evaluate (default: the recipe's output_dir/model)" };
        var split = new Option<string?>("--split") { Description = "validation or test (default: validation when the recipe has it, else test)" };
        split.AcceptOnlyFromAmong("validation", "test");
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object (as eval-SPLIT.json)" };
        var device = new Option<string?>("--device") { Description = "auto, cpu or cuda (overrides the recipe's device)" };
        var noise = new Option<double>("--embedding-noise") { HelpName = "R", Description = "Robustness: move every token's word embedding by Gaussian noise of L2 norm R (BERT-family encoders; seeded by the recipe's seed)" };
        var command = new Command("eval", "Evaluate a trained model on a recipe's validation or test split; writes eval-SPLIT.md/json into the run folder")
        { recipe, overrides, model, split, json, device, noise };
        command.SetAction(parse =>
        {
            var r = RecipeLoader.Load(parse.GetValue(recipe)!, parse.GetValue(overrides) ?? []);
            var outcome = ModelEvaluation.Run(r, parse.GetValue(model), parse.GetValue(split), parse.GetValue(device), parse.GetValue(noise));
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                o.WriteLine(EvalFiles.Json(outcome, r.File).ToJsonString(JsonOutput.Compact));
                return 0;
            }
            o.WriteLine($"{outcome.Task} on {outcome.Split}: {outcome.DataFile} ({outcome.Examples} examples)");
            o.WriteLine($"model: {outcome.ModelDir}");
            foreach (var (name, value) in outcome.Result.Metrics) o.WriteLine($"  {name} {EvalFiles.Format(value)}");
            o.WriteLine($"settings: {outcome.Result.Settings}");
            o.WriteLine($"report: {outcome.MarkdownPath}");
            return 0;
        });
        return command;
    }
}
