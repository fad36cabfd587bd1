using System.CommandLine;
using TuneSharp.Cli.Progress;
using TuneSharp.Recipes;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp quickstart</c>: fine-tunes the pretrained MiniLM encoder on a few hundred labelled Brown passages,
/// offline, and prints accuracy and macro-F1 with 95% bootstrap intervals next to LoRA, frozen features, random init
/// and the majority class.
/// </summary>
public static class QuickstartCommand
{
    public static Command Create()
    {
        var overrides = new Argument<string[]>("overrides") { Description = "key=value overrides of recipes/quickstart.yaml", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("quickstart", "Fine-tune the pretrained MiniLM encoder with a few hundred labels and compare it with LoRA, frozen features, random init and the majority class (offline, minutes on a CPU)")
        { overrides };
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var recipe = Quickstart.FindRecipe(Directory.GetCurrentDirectory());
            var clock = System.Diagnostics.Stopwatch.StartNew();
            QuickstartResult result;
            var extra = parse.GetValue(overrides) ?? [];
            using (var progress = TrainProgressRenderer.Create(o, o == Console.Out && TrainProgressRenderer.IsInteractiveConsole))
                result = Quickstart.Run(recipe, extra, progress, o.WriteLine);
            o.WriteLine();
            o.WriteLine($"Brown genre (15 classes), {result.TrainExamples} training / {result.TestExamples} test passages, {clock.Elapsed:mm\\:ss} in all; 95% bootstrap intervals:");
            o.WriteLine($"  {"model",-38} {"accuracy [95% CI]",-26} {"macro-F1 [95% CI]",-26} {"time",6}");
            foreach (var r in result.Rows)
                o.WriteLine($"  {r.Name,-38} {r.Intervals.Accuracy,-26} {r.Intervals.MacroF1,-26} {r.Seconds,5:0}s");
            foreach (var f in result.Findings) o.WriteLine($"  {f}");
            o.WriteLine($"run folder: {result.RunDir} (report.md, comparison.png; each row's folder has its model/, report.md, loss.png, metrics.png)");
            return 0;
        });
        return command;
    }
}
