using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Templates;
using TuneSharp.Tokenization;

namespace TuneSharp.Tasks;

/// <summary>
/// Builds supervised fine-tuning rows from records of three shapes, told apart per record by their fields:
/// chat (<c>messages</c>, rendered with the chat template, assistant turns trained), prompt/completion
/// (prompt tokenized with the tokenizer's special tokens, completion without, EOS appended unless the completion
/// already ends with it), and Alpaca (<c>instruction</c>/<c>input</c>/<c>output</c> through <see cref="AlpacaPrompt"/>).
/// </summary>
internal static class SftExamples
{
    public static LmExample Build(DataRecord r, HfTokenizer tokenizer, ChatTemplate? template, FieldNames f, int eos)
    {
        if (RecordFields.Has(r, f.Messages))
        {
            var where = RecordFields.Where(r, f.Messages);
            if (template is null) throw new UserError($"{where}: the tokenizer has no chat_template, so chat records cannot be rendered");
            return ChatMasking.Encode(template, tokenizer, RecordFields.Array(r, f.Messages), where);
        }
        string prompt, completion;
        if (RecordFields.Has(r, f.Prompt)) (prompt, completion) = (RecordFields.String(r, f.Prompt), RecordFields.String(r, f.Completion));
        else if (RecordFields.Has(r, f.Instruction))
            (prompt, completion) = (AlpacaPrompt.Render(RecordFields.String(r, f.Instruction), RecordFields.OptionalString(r, f.Input)), RecordFields.String(r, f.Output));
        else throw new UserError($"{r.File}:{r.Line}: a fine-tuning record needs '{f.Messages}', '{f.Prompt}'/'{f.Completion}' or '{f.Instruction}'/'{f.Output}'");
        if (completion.Length == 0) throw new UserError($"{r.File}:{r.Line}: the completion is empty; there is nothing to train on");
        var promptIds = tokenizer.Encode(prompt, addSpecialTokens: true);
        var e = LmExample.PromptCompletion(promptIds, tokenizer.Encode(completion, addSpecialTokens: false), eos);
        return e with { PromptIds = promptIds.ToArray(), Reference = completion };
    }

    /// <summary>Applies the truncation policy: the row, cut or whole, or null when it is dropped.</summary>
    public static LmExample? Fit(LmExample e, int maxLength, TruncationPolicy policy)
    {
        if (e.Ids.Length <= maxLength) return e;
        if (policy == TruncationPolicy.Drop) return null;
        var cut = e.Truncate(maxLength);
        return cut.TrainedTokens == 0 ? null : cut;
    }
}

/// <summary>Seq2seq rows: "source + separator" as the prompt, "target + EOS" trained.</summary>
internal static class Seq2SeqExamples
{
    public static LmExample Build(DataRecord r, HfTokenizer tokenizer, FieldNames f, string separator, int eos)
    {
        bool plain = RecordFields.Has(r, f.Source);
        string source = RecordFields.String(r, plain ? f.Source : f.Prompt);
        string target = RecordFields.String(r, plain ? f.Target : f.Completion);
        var prompt = tokenizer.Encode(source + separator, addSpecialTokens: true);
        var e = LmExample.PromptCompletion(prompt, tokenizer.Encode(target, addSpecialTokens: false), eos);
        return e with { PromptIds = prompt.ToArray(), Reference = target };
    }
}

/// <summary>
/// Continued pretraining rows: each text tokenized (with the tokenizer's special tokens) and followed by EOS,
/// all concatenated and cut into blocks of exactly block_size tokens, labels = inputs (transformers' run_clm
/// group_texts). The tail shorter than a block is dropped, unless the split holds less than one block, in which
/// case that tail is the split's only row.
/// </summary>
internal static class PretrainingBlocks
{
    public static List<LmExample> Build(IEnumerable<DataRecord> records, HfTokenizer tokenizer, string field, int eos, int blockSize)
    {
        if (blockSize < 2) throw new UserError($"block_size: must be at least 2, got {blockSize}");
        var stream = new List<int>();
        foreach (var r in records)
        {
            stream.AddRange(tokenizer.Encode(RecordFields.String(r, field), addSpecialTokens: true));
            stream.Add(eos);
        }
        var blocks = new List<LmExample>();
        for (int at = 0; at + blockSize <= stream.Count; at += blockSize)
        {
            var ids = stream.GetRange(at, blockSize).ToArray();
            blocks.Add(new LmExample(ids, ids));
        }
        if (blocks.Count == 0 && stream.Count >= 2) blocks.Add(new LmExample(stream.ToArray(), stream.ToArray()));
        return blocks;
    }
}
