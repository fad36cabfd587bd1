using System.Text.Json.Nodes;
using TuneSharp.Tokenization;

namespace TuneSharp.Templates;

/// <summary>
/// A conversation turned into the prompt ids a causal LM answers, as transformers' <c>apply_chat_template(messages,
/// add_generation_prompt=True, tokenize=True)</c> does it. The one place that rendering happens for generation: the
/// server's chat route, <c>predict</c>/<c>eval</c> on chat records and the <c>IChatClient</c> all call it.
/// </summary>
public static class ChatPrompt
{
    /// <summary>The template variables transformers passes: the tokenizer's special tokens.</summary>
    public static IReadOnlyDictionary<string, object?> Variables(HfTokenizer tokenizer) => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["bos_token"] = tokenizer.BosToken, ["eos_token"] = tokenizer.EosToken, ["pad_token"] = tokenizer.PadToken,
    };

    /// <summary>
    /// Renders <paramref name="messages"/> (a JSON array of message objects) with the assistant's generation prompt
    /// and tokenizes the text without adding special tokens (the template writes them).
    /// </summary>
    /// <exception cref="UserError">The template raised or failed on these messages (its message, for the caller to place).</exception>
    public static IReadOnlyList<int> Ids(ChatTemplate template, HfTokenizer tokenizer, JsonArray messages) =>
        tokenizer.Encode(template.Render(messages, addGenerationPrompt: true, Variables(tokenizer)), addSpecialTokens: false);
}
