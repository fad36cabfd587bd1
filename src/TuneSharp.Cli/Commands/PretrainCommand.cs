using System.CommandLine;
using TuneSharp.Cli.Progress;
using TuneSharp.Recipes;
using TuneSharp.Training.Pretraining;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp pretrain RECIPE</c>: train a base model from random init (see recipes/pretrain-base.yaml).</summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var recipe = new Argument<string>("recipe") { Description = "YAML recipe with a pretrain section (recipes/pretrain-base.yaml)" };
        var overrides = new Argument<string[]>("overrides") { Description = "key=value overrides", Arity = ArgumentArity.ZeroOrMore };
        var resume = new Option<bool>("--resume") { Description = "Continue from the latest checkpoint" };
        var command = new Command("pretrain", "Pretrain a Llama-architecture base model from random init: data, tokenizer, shards, training, model card")
        { recipe, overrides, resume };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(recipe)!;
            var extra = parse.GetValue(overrides) ?? [];
            var r = RecipeLoader.Load(path, extra);
            var o = parse.InvocationConfiguration.Output;
            string commandLine = "dotnet run -c Release --project src/TuneSharp.Cli -- pretrain " + path + (extra.Length > 0 ? " " + string.Join(' ', extra) : "");
            PretrainOutcome outcome;
            using (var progress = TrainProgressRenderer.Create(o, o == Console.Out && TrainProgressRenderer.IsInteractiveConsole))
                outcome = PretrainPipeline.Run(r, commandLine, parse.GetValue(resume), progress, o.WriteLine);
            o.WriteLine($"saved {outcome.ModelDir}: {outcome.Parameters:N0} parameters, {outcome.TokensSeen:N0} tokens seen, held-out perplexity {outcome.HeldOutPerplexity:0.00}, {outcome.WallTime:hh\\:mm\\:ss}");
            return 0;
        });
        return command;
    }
}
