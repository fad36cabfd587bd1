using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Data.Readers;
using TuneSharp.Data.Writing;
using TuneSharp.Generation;
using TuneSharp.Inference;
using TuneSharp.Models;
using TuneSharp.Tasks;
using TuneSharp.Templates;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Training.Distillation;

/// <summary>
/// Sequence-level knowledge distillation (Kim and Rush 2016): the teacher decodes every training prompt greedily
/// and the student is fine-tuned on those outputs instead of the references, with the ordinary causal-lm-sft task.
/// This writes that training file: each prompt/completion record with its completion replaced by the teacher's
/// greedy continuation (the reference kept as <c>reference</c>), prompts rendered exactly as training and eval do.
/// </summary>
public static class SequenceKd
{
    /// <summary>How many records were written and how many of them the teacher reproduced exactly.</summary>
    public sealed record Summary(int Records, int ExactMatches);

    /// <summary>
    /// Reads <paramref name="input"/> (prompt/completion records), generates with the causal LM in
    /// <paramref name="teacherDir"/> (greedy, up to <paramref name="maxNewTokens"/>, stopping at EOS) in batches of
    /// <paramref name="batchSize"/>, and writes <paramref name="output"/> atomically.
    /// </summary>
    public static Summary Write(string teacherDir, string input, string output, FieldNames fields, int maxNewTokens = 64, int batchSize = 16,
        Device? device = null, IProgress<string>? progress = null)
    {
        if (maxNewTokens < 1) throw new UserError($"--max-new-tokens: must be positive, got {maxNewTokens}");
        if (batchSize < 1) throw new UserError($"--batch-size: must be positive, got {batchSize}");
        var records = DataSources.Open(input, null).ToList();
        if (records.Count == 0) throw new UserError($"{input}: no records");
        foreach (var r in records)
            if (!RecordFields.Has(r, fields.Prompt))
                throw new UserError($"{RecordFields.Where(r, fields.Prompt)}: is missing; sequence-level distillation rewrites prompt/completion records");

        var config = Pretrained.Config(teacherDir);
        var tokenizer = HfTokenizer.Load(teacherDir);
        var template = tokenizer.ChatTemplate is { } source ? new ChatTemplate(source) : null;
        var options = new GenerationOptions { MaxNewTokens = maxNewTokens, StopTokenIds = [TaskModelSetup.EosId(config, tokenizer)] };
        using var lm = Pretrained.LoadCausalLM(teacherDir, device ?? CPU);
        lm.Module.eval();
        var rows = new List<JsonObject>(records.Count);
        int exact = 0;
        using (no_grad())
            for (int start = 0; start < records.Count; start += batchSize)
            {
                var batch = records.Skip(start).Take(batchSize).ToList();
                var prompts = batch.Select(r => GenerationPrompts.Build(CausalLMKind.Sft, r, tokenizer, template, fields, "\n")).ToList();
                var results = BatchGenerator.Generate(lm, prompts, options);
                for (int i = 0; i < batch.Count; i++)
                {
                    var generated = tokenizer.Decode(results[i].NewIds, skipSpecialTokens: true).Trim();
                    var row = (JsonObject)batch[i].Fields.DeepClone();
                    var reference = RecordFields.Has(batch[i], fields.Completion) ? RecordFields.String(batch[i], fields.Completion) : null;
                    if (reference is not null) row["reference"] = reference;
                    if (reference?.Trim() == generated) exact++;
                    row[fields.Completion] = generated;
                    rows.Add(row);
                }
                progress?.Report($"{Math.Min(start + batchSize, records.Count)}/{records.Count} prompts");
            }
        AtomicJsonlWriter.WriteAll(output, rows);
        return new Summary(rows.Count, exact);
    }
}
