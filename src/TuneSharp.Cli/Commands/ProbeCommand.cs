using System.CommandLine;
using System.Globalization;
using TuneSharp.Probing;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp probe</c>: linear probes on every layer of a frozen BERT-family encoder for Brown part of speech and
/// genre, each beside a control task, and the per-layer table, plot and JSON.
/// </summary>
public static class ProbeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A BERT-family encoder folder, or minilm (imported into the cache on first use)", DefaultValueFactory = _ => "minilm" };
        var data = new Option<string>("--data") { Description = "Brown folder written by `tunesharp data fetch brown --out DIR` (pos/ and genre-passages/)", Required = true };
        var task = new Option<string>("--task") { Description = "pos (part of speech per word), genre (per passage) or both", DefaultValueFactory = _ => "both" };
        var maxTrain = new Option<int?>("--max-train") { Description = $"Training rows per task: words for pos (whole sentences until reached; default {ProbeOptions.DefaultTrainRows(ProbeTasks.Pos)}), passages for genre (default {ProbeOptions.DefaultTrainRows(ProbeTasks.Genre)})" };
        var maxEval = new Option<int?>("--max-eval") { Description = $"Validation rows and test rows per task, each, counted as --max-train (default {ProbeOptions.DefaultEvalRows(ProbeTasks.Pos)} words, {ProbeOptions.DefaultEvalRows(ProbeTasks.Genre)} passages)" };
        var maxLength = new Option<int>("--max-length") { Description = "Tokens per sentence or passage (longer inputs are truncated)", DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch-size") { Description = "Inputs per forward pass", DefaultValueFactory = _ => 32 };
        var maxIterations = new Option<int>("--max-iterations") { Description = "Gradient steps per regression at most (more converges further and costs proportionally)", DefaultValueFactory = _ => new ProbeSolver().MaxIterations };
        var seed = new Option<int>("--seed") { Description = "Seeds the samples and the control labels", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--out") { Description = "Folder for probe.md (table), probe.png (plot) and probe.json", Required = true };
        var device = DeviceOption.Create();
        var command = new Command("probe", "Linear probes on every layer of a frozen encoder (Brown part of speech and genre) with control tasks: accuracy and selectivity by layer (Hewitt & Liang 2019)")
        {
            model, data, task, maxTrain, maxEval, maxLength, batch, maxIterations, seed, output, device,
        };
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var options = new ProbeOptions
            {
                Model = parse.GetValue(model)!, Data = parse.GetValue(data)!, Output = parse.GetValue(output)!,
                Tasks = ProbeTasks.Parse(parse.GetValue(task)!), MaxTrain = parse.GetValue(maxTrain), MaxEval = parse.GetValue(maxEval),
                MaxLength = parse.GetValue(maxLength), BatchSize = parse.GetValue(batch), Seed = parse.GetValue(seed), Device = parse.GetValue(device)!,
                Solver = new ProbeSolver(MaxIterations: parse.GetValue(maxIterations)),
            };
            var run = ProbeRunner.Run(options, o.WriteLine);
            o.WriteLine();
            o.Write(ProbeReport.Table(run));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run.Seconds:0} s in all; wrote {ProbeReport.MarkdownFile}, {ProbeReport.ChartFile} and {ProbeReport.JsonFile} to {options.Output}"));
            return 0;
        });
        return command;
    }
}
