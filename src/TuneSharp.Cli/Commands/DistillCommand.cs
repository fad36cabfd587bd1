using System.CommandLine;
using TuneSharp.Data;
using TuneSharp.Runtime;
using TuneSharp.Training.Distillation;

namespace TuneSharp.Cli.Commands;

/// <summary>
/// <c>tunesharp distill generate</c>: sequence-level knowledge distillation's training file (the teacher's greedy
/// outputs on the training prompts). Logit distillation of classifiers is the recipe's <c>distillation:</c> section.
/// </summary>
public static class DistillCommand
{
    public static Command Create()
    {
        var teacher = new Option<string>("--teacher") { Description = "The teacher: a fine-tuned causal LM folder (e.g. runs/NAME/model of a causal-lm-sft recipe)", Required = true };
        var input = new Option<string>("--input") { Description = "Prompt/completion records (JSONL, CSV/TSV, Parquet), e.g. the SFT recipe's training file", Required = true };
        var output = new Option<string>("--output") { Description = "JSONL to write: each record with completion = the teacher's greedy output (reference kept)", Required = true };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "New tokens per prompt (greedy, stops at EOS)", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch-size") { Description = "Prompts decoded together", DefaultValueFactory = _ => 16 };
        var prompt = new Option<string>("--prompt-field") { Description = "Field holding the prompt", DefaultValueFactory = _ => "prompt" };
        var completion = new Option<string>("--completion-field") { Description = "Field the teacher's output is written to", DefaultValueFactory = _ => "completion" };
        var device = DeviceOption.Create();
        var generate = new Command("generate", "Sequence-level KD (Kim & Rush 2016): rewrite the training completions with the teacher's greedy outputs; train the student on the file with task causal-lm-sft")
        {
            teacher, input, output, maxNew, batch, prompt, completion, device,
        };
        generate.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var fields = new FieldNames { Prompt = parse.GetValue(prompt)!, Completion = parse.GetValue(completion)! };
            var summary = SequenceKd.Write(parse.GetValue(teacher)!, parse.GetValue(input)!, parse.GetValue(output)!, fields,
                parse.GetValue(maxNew), parse.GetValue(batch), DeviceSelection.Resolve(parse.GetValue(device)!), new Progress<string>(line => o.WriteLine(line)));
            o.WriteLine($"wrote {parse.GetValue(output)}: {summary.Records} records, teacher output equals the reference in {summary.ExactMatches}");
            return 0;
        });
        return new Command("distill", "Knowledge distillation helpers (logit KD of classifiers: the recipe's distillation: section)") { generate };
    }
}
