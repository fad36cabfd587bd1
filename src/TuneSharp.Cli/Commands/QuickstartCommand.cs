using System.CommandLine;
using TuneSharp.Cli.Progress;
using TuneSharp.Recipes;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp quickstart</c>: fine-tunes the embedded base model on the committed spam sample, offline,
/// and prints accuracy and macro-F1 next to a random-init and a majority-class baseline.
/// </summary>
public static class QuickstartCommand
{
    public static Command Create()
    {
        var overrides = new Argument<string[]>("overrides") { Description = "key=value overrides of recipes/quickstart.yaml", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("quickstart", "Fine-tune the embedded base model on spam/ham emails and compare with two baselines (offline, minutes on a CPU)")
        { overrides };
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var recipe = Quickstart.FindRecipe(Directory.GetCurrentDirectory());
            var clock = System.Diagnostics.Stopwatch.StartNew();
            IReadOnlyList<QuickstartRow> rows;
            var extra = parse.GetValue(overrides) ?? [];
            using (var progress = TrainProgressRenderer.Create(o, o == Console.Out && TrainProgressRenderer.IsInteractiveConsole))
                rows = Quickstart.Run(recipe, extra, progress, o.WriteLine);
            o.WriteLine();
            o.WriteLine($"Spam detection, test split (SpamAssassin sample), {clock.Elapsed:mm\\:ss}:");
            o.WriteLine($"  {"model",-34} {"accuracy",9} {"macro-F1",9}");
            foreach (var r in rows) o.WriteLine($"  {r.Name,-34} {r.Accuracy,9:0.0000} {r.MacroF1,9:0.0000}");
            var run = RecipeLoader.Load(recipe, extra).OutputDir;
            o.WriteLine($"run folder: {run} (model/, report.md, loss.png, metrics.png)");
            return 0;
        });
        return command;
    }
}
