using System.Text.Json.Nodes;
using TuneSharp.Models;
using TuneSharp.Templates;
using TuneSharp.Tokenization;

namespace TuneSharp.Tasks;

/// <summary>
/// Assistant-only loss for chat records. The conversation is rendered with the model's chat template; for each
/// assistant message i, render(messages[:i], add_generation_prompt=true) must be a prefix of
/// render(messages[:i+1]), which must be a prefix of the whole rendering: the characters between the two are
/// that assistant turn (its content and the template's end of turn, e.g. "…&lt;|im_end|&gt;\n"). The whole text is
/// tokenized once (without added special tokens, as apply_chat_template does) and a token is trained when its
/// character range overlaps an assistant turn, as transformers' assistant-token mask marks every token of a
/// span's characters; all other tokens (system, user, headers) are -100.
/// </summary>
public static class ChatMasking
{
    /// <summary>Tokens and labels of a conversation; <paramref name="where"/> prefixes errors (file:line: field).</summary>
    public static LmExample Encode(ChatTemplate template, HfTokenizer tokenizer, JsonArray messages, string where)
    {
        var variables = ChatPrompt.Variables(tokenizer);
        string Render(int count, bool generationPrompt)
        {
            var part = new JsonArray(messages.Take(count).Select(m => m?.DeepClone()).ToArray());
            try { return template.Render(part, generationPrompt, variables); }
            catch (UserError e) { throw new UserError($"{where}: chat template: {e.Message}", e); }
        }

        string full = Render(messages.Count, false);
        var spans = new List<(int Start, int End)>();
        for (int i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject m || m["role"] is not JsonValue role || !role.TryGetValue(out string? r))
                throw new UserError($"{where}[{i}]: expected an object with a string 'role'");
            if (r != "assistant") continue;
            string prefix = Render(i, true), upto = Render(i + 1, false);
            if (!upto.StartsWith(prefix, StringComparison.Ordinal) || !full.StartsWith(upto, StringComparison.Ordinal))
                throw new UserError($"{where}[{i}]: cannot locate the assistant turn: the chat template's rendering of the "
                    + "conversation up to it does not extend the rendering before it (the template is not prefix-stable)");
            spans.Add((prefix.Length, upto.Length));
        }
        if (spans.Count == 0) throw new UserError($"{where}: the conversation has no assistant message to train on");

        var enc = tokenizer.EncodeWithOffsets(full, addSpecialTokens: false);
        var labels = new int[enc.Ids.Length];
        for (int t = 0; t < labels.Length; t++)
        {
            var (s, e) = enc.Offsets[t];
            bool trained = spans.Any(span => s < span.End && e > span.Start);
            labels[t] = trained ? enc.Ids[t] : (int)CausalLMLoss.IgnoreIndex;
        }
        // Evaluation generates the last assistant turn from the conversation before it (when the conversation ends with it).
        bool endsWithAssistant = messages[^1] is JsonObject last && last["role"]?.GetValue<string>() == "assistant";
        if (!endsWithAssistant) return new LmExample(enc.Ids, labels);
        var promptIds = tokenizer.Encode(Render(messages.Count - 1, true), addSpecialTokens: false).ToArray();
        string reference = messages[^1]!["content"] is JsonValue c && c.TryGetValue(out string? text) ? text : "";
        return new LmExample(enc.Ids, labels, promptIds, reference);
    }
}
