namespace TuneSharp.Data.Shapes;

/// <summary>What a --task value asks for: the record shape, and whether tags must follow the BIO scheme.</summary>
/// <param name="Shape">The expected record shape.</param>
/// <param name="Bio">True: tags must be BIO; false: tags are free labels (POS); null: decide per record.</param>
public sealed record TaskSpec(RecordShape Shape, bool? Bio = null)
{
    /// <summary>
    /// Parses a task name: classification (text-classification), ner, pos (token-classification: BIO decided per
    /// record), seq2seq (prompt-completion), instruction (alpaca), chat, text (lm, causal-lm).
    /// </summary>
    public static TaskSpec Parse(string task) => task.Trim().ToLowerInvariant() switch
    {
        "classification" or "text-classification" or "sequence-classification" => new(RecordShape.Classification),
        "ner" => new(RecordShape.Tagging, Bio: true),
        "pos" => new(RecordShape.Tagging, Bio: false),
        "token-classification" or "tagging" => new(RecordShape.Tagging),
        "seq2seq" or "prompt-completion" or "completion" => new(RecordShape.PromptCompletion),
        "instruction" or "alpaca" => new(RecordShape.Instruction),
        "chat" => new(RecordShape.Chat),
        "text" or "lm" or "causal-lm" or "raw" => new(RecordShape.Text),
        _ => throw new UserError($"unknown task '{task}': expected classification, ner, pos, token-classification, seq2seq, instruction, chat or text"),
    };
}
