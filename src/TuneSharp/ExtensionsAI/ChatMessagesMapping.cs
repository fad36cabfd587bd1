using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace TuneSharp.ExtensionsAI;

/// <summary>
/// Microsoft.Extensions.AI messages as the JSON messages a chat template reads (<c>{"role", "content"}</c>), the same
/// shape the server's /v1/chat/completions passes to <see cref="Templates.ChatPrompt"/>.
/// </summary>
public static class ChatMessagesMapping
{
    /// <summary>
    /// The conversation, with <paramref name="instructions"/> (ChatOptions.Instructions) as a leading system message.
    /// Only text content is accepted: an image, a function call or any other content is a <see cref="UserError"/>
    /// naming the message, since the template and the model would never see it.
    /// </summary>
    public static JsonArray ToTemplateMessages(IEnumerable<ChatMessage> messages, string? instructions)
    {
        var result = new JsonArray();
        if (!string.IsNullOrEmpty(instructions))
            result.Add(new JsonObject { ["role"] = ChatRole.System.Value, ["content"] = instructions });
        int index = 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
                if (content is not TextContent)
                    throw new UserError($"messages[{index}]: {content.GetType().Name} is not supported; TuneSharp's chat client takes text content only");
            result.Add(new JsonObject { ["role"] = message.Role.Value, ["content"] = message.Text });
            index++;
        }
        if (result.Count == 0) throw new UserError("messages: give at least one message");
        return result;
    }
}
