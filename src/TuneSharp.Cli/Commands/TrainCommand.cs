using System.CommandLine;
using TuneSharp.Cli.Progress;
using TuneSharp.Recipes;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp train RECIPE [key=value ...]</c>: fine-tune as a YAML recipe says.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var recipe = new Argument<string>("recipe") { Description = "YAML recipe (see recipes/)" };
        var overrides = new Argument<string[]>("overrides") { Description = "key=value overrides, e.g. training.learning_rate=1e-4", Arity = ArgumentArity.ZeroOrMore };
        var resume = new Option<bool>("--resume") { Description = "Continue from the run folder's latest checkpoint, exactly" };
        var device = new Option<string?>("--device") { Description = "auto, cpu or cuda (overrides the recipe's device)" };
        var command = new Command("train", "Fine-tune a model as a YAML recipe says; writes a run folder (model, report, plots)")
        { recipe, overrides, resume, device };
        command.SetAction(parse =>
        {
            var r = RecipeLoader.Load(parse.GetValue(recipe)!, parse.GetValue(overrides) ?? []);
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"recipe {r.File}\nrun folder {r.OutputDir}");
            RunOutcome outcome;
            using (var progress = TrainProgressRenderer.Create(o, o == Console.Out && TrainProgressRenderer.IsInteractiveConsole))
                outcome = RecipeRunner.Run(r, parse.GetValue(resume), progress, deviceOverride: parse.GetValue(device));
            o.WriteLine($"trained {outcome.Result.Steps} steps ({outcome.Result.SkippedSteps} skipped)" +
                (outcome.Result.BestStep is int b ? $", best {r.Training().MetricForBestModel} {outcome.Result.BestMetric:0.####} at step {b}" : "") +
                (outcome.Result.StoppedEarly ? ", stopped early" : ""));
            foreach (var (name, eval) in new[] { ("validation", outcome.Validation), ("test", outcome.Test) })
                if (eval is not null)
                    o.WriteLine($"{name}: " + string.Join(", ", eval.Metrics.Select(m => $"{m.Key} {m.Value:0.####}")));
            o.WriteLine($"model: {outcome.ModelDir}" + (outcome.AdapterDir is null ? "" : $"\nadapter: {outcome.AdapterDir}"));
            o.WriteLine($"report: {Path.Combine(outcome.RunDir, "report.md")}");
            return 0;
        });
        return command;
    }
}
