using System.Text.Json.Nodes;
using TuneSharp.Data;
using TuneSharp.Tasks;
using TuneSharp.Templates;
using TuneSharp.Tokenization;

namespace TuneSharp.Inference;

/// <summary>
/// The prompt ids generation starts from, rendered exactly as training rendered the context of the trained part:
/// causal-lm-sft chat records through the chat template with the generation prompt (trailing assistant messages,
/// the reference, left out; no added special tokens, as apply_chat_template), prompt/completion records as the
/// prompt, Alpaca records through <see cref="AlpacaPrompt"/>; seq2seq as source + separator; causal-lm as the text.
/// </summary>
public static class GenerationPrompts
{
    /// <summary>Prompt ids of <paramref name="r"/> for <paramref name="kind"/>; a missing field is a <see cref="UserError"/> naming file, line and field.</summary>
    public static IReadOnlyList<int> Build(CausalLMKind kind, DataRecord r, HfTokenizer tokenizer, ChatTemplate? template, FieldNames f, string separator)
    {
        switch (kind)
        {
            case CausalLMKind.Seq2Seq:
                var source = RecordFields.Has(r, f.Source) ? RecordFields.String(r, f.Source)
                    : RecordFields.Has(r, f.Prompt) ? RecordFields.String(r, f.Prompt)
                    : throw new UserError($"{RecordFields.Where(r, f.Source)}: is missing");
                return tokenizer.Encode(source + separator, addSpecialTokens: true);
            case CausalLMKind.Pretraining:
                return tokenizer.Encode(RecordFields.String(r, f.Text), addSpecialTokens: true);
        }
        if (RecordFields.Has(r, f.Messages)) return Chat(r, tokenizer, template, f.Messages);
        if (RecordFields.Has(r, f.Prompt)) return tokenizer.Encode(RecordFields.String(r, f.Prompt), addSpecialTokens: true);
        if (RecordFields.Has(r, f.Instruction))
            return tokenizer.Encode(AlpacaPrompt.Render(RecordFields.String(r, f.Instruction), RecordFields.OptionalString(r, f.Input)), addSpecialTokens: true);
        throw new UserError($"{r.File}:{r.Line}: a record needs '{f.Messages}', '{f.Prompt}' or '{f.Instruction}' to prompt from");
    }

    static IReadOnlyList<int> Chat(DataRecord r, HfTokenizer tokenizer, ChatTemplate? template, string field)
    {
        var where = RecordFields.Where(r, field);
        if (template is null) throw new UserError($"{where}: the tokenizer has no chat_template, so chat records cannot be rendered");
        var messages = RecordFields.Array(r, field);
        int count = messages.Count;
        while (count > 0 && messages[count - 1] is JsonObject m && m["role"] is JsonValue role
            && role.TryGetValue(out string? name) && name == "assistant") count--;
        if (count == 0) throw new UserError($"{where}: no message to answer (the conversation is empty or only assistant turns)");
        var context = new JsonArray(messages.Take(count).Select(m => m?.DeepClone()).ToArray());
        try { return ChatPrompt.Ids(template, tokenizer, context); }
        catch (UserError e) { throw new UserError($"{where}: chat template: {e.Message}", e); }
    }
}
