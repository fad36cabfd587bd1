using System.Text.Json.Nodes;

namespace TuneSharp.Templates;

/// <summary>
/// One chat turn as a template sees it: <c>{"role": ..., "content": ...}</c> plus the optional fields set here.
/// For arbitrary fields (content-part lists, custom keys) pass the conversation as a <see cref="JsonNode"/>.
/// </summary>
/// <param name="Role">"system", "user", "assistant", "tool"...</param>
/// <param name="Content">The text; null renders as the template sees Python's None.</param>
public sealed record ChatMessage(string Role, string? Content)
{
    /// <summary>OpenAI-style tool calls (<c>[{"type": "function", "function": {"name", "arguments"}}]</c>), or null to omit.</summary>
    public JsonArray? ToolCalls { get; init; }

    /// <summary>The <c>name</c> field (e.g. a tool's name), or null to omit.</summary>
    public string? Name { get; init; }

    /// <summary>The <c>tool_call_id</c> a tool result answers, or null to omit.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>The <c>reasoning_content</c> some templates (Qwen3) render as a think block, or null to omit.</summary>
    public string? ReasoningContent { get; init; }
}
