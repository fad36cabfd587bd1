using System.Text.Json.Nodes;

namespace TuneSharp.Templates;

/// <summary>
/// A Hugging Face chat template (the Jinja <c>chat_template</c> of a tokenizer), parsed once and rendered
/// exactly as <c>transformers</c>' <c>apply_chat_template(..., tokenize=False)</c> renders it: jinja2 with
/// <c>trim_blocks</c>, <c>lstrip_blocks</c>, loop controls, HF's <c>tojson</c>, <c>raise_exception</c> and
/// <c>strftime_now</c>.
/// </summary>
public sealed class ChatTemplate
{
    readonly List<Stmt> body;

    /// <summary>Parses <paramref name="source"/>; a syntax error is a <see cref="UserError"/> naming the line.</summary>
    public ChatTemplate(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        body = JinjaParser.Parse(source);
    }

    /// <summary>The template text.</summary>
    public string Source { get; }

    /// <summary>The clock behind <c>strftime_now</c>; local time, as Python's <c>datetime.now()</c>.</summary>
    public Func<DateTime> Clock { get; init; } = () => DateTime.Now;

    /// <summary>Reads and parses a template file (e.g. a <c>chat_template.jinja</c>); errors name the file.</summary>
    public static ChatTemplate FromFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: cannot read chat template: {e.Message}", e);
        }
        try
        {
            return new ChatTemplate(text);
        }
        catch (UserError e)
        {
            throw new UserError($"{path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Renders a conversation given as a JSON array of message objects (any fields: tool_calls, content parts...).
    /// </summary>
    /// <param name="messages">A <see cref="JsonArray"/> of message objects.</param>
    /// <param name="addGenerationPrompt">Append the assistant header that prompts a reply.</param>
    /// <param name="variables">
    /// Other template variables, as HF passes the tokenizer's special tokens and <c>apply_chat_template</c>'s
    /// keyword arguments: <c>bos_token</c>, <c>eos_token</c>, <c>tools</c>, <c>date_string</c>,
    /// <c>enable_thinking</c>... Values may be strings, numbers, booleans, null, lists, dictionaries or JSON nodes.
    /// </param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="UserError">The template raised (its message, unchanged) or failed to evaluate.</exception>
    public string Render(JsonNode messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages is not JsonArray) throw new UserError("chat template: messages must be a JSON array of message objects");
        return RenderValue(JinjaValues.FromJson(messages), addGenerationPrompt, variables);
    }

    /// <summary>Renders a conversation of <see cref="ChatMessage"/>s.</summary>
    /// <param name="messages">The turns, in order.</param>
    /// <param name="addGenerationPrompt">Append the assistant header that prompts a reply.</param>
    /// <param name="variables">Other template variables; see <see cref="Render(JsonNode, bool, IReadOnlyDictionary{string, object?}?)"/>.</param>
    /// <returns>The rendered text.</returns>
    /// <exception cref="UserError">The template raised (its message, unchanged) or failed to evaluate.</exception>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return RenderValue(messages.Select(m => JinjaValues.FromClr(m)).ToList(), addGenerationPrompt, variables);
    }

    string RenderValue(object? messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables)
    {
        var scope = new JinjaScope(JinjaGlobals.Create(Clock));
        // apply_chat_template always passes tools and documents (None unless given), so they are defined.
        scope.Set("tools", null);
        scope.Set("documents", null);
        if (variables != null)
            foreach (var kv in variables) scope.Set(kv.Key, JinjaValues.FromClr(kv.Value));
        scope.Set("messages", messages);
        scope.Set("add_generation_prompt", addGenerationPrompt);
        return JinjaEvaluator.Render(body, scope);
    }
}
