using Microsoft.Extensions.AI;
using TuneSharp.Generation;

namespace TuneSharp.ExtensionsAI;

/// <summary>
/// <see cref="ChatOptions"/> as the engine's <see cref="GenerationOptions"/>. What the engine cannot honour is a
/// <see cref="UserError"/> naming the option, never silently dropped: a caller asking for tools or a JSON answer
/// would otherwise get plain text and take it for the model's best effort.
/// </summary>
public static class ChatOptionsMapping
{
    /// <summary>
    /// The generation options for <paramref name="options"/> (null = OpenAI's defaults: temperature 1, no limit but
    /// the context). Without MaxOutputTokens the completion may use what the context leaves after
    /// <paramref name="promptLength"/> tokens, as the server does. A JSON <see cref="ChatOptions.ResponseFormat"/> (with
    /// or without a schema) constrains decoding through <paramref name="constraintFor"/>.
    /// </summary>
    public static GenerationOptions ToGeneration(ChatOptions? options, int promptLength, int contextLength,
        Func<Generation.Constraints.JsonSchemaNode, Generation.Constraints.ITokenConstraint>? constraintFor = null)
    {
        // A prompt that fills the context gets 0 new tokens here, so BatchGenerator's context check names both lengths.
        int room = Math.Max(0, contextLength - promptLength);
        if (options is null) return new GenerationOptions { Temperature = 1.0, MaxNewTokens = room };
        RejectUnsupported(options);
        if (options.MaxOutputTokens is < 1) throw new UserError($"MaxOutputTokens: must be >= 1, got {options.MaxOutputTokens}");
        if (options.TopK is < 0) throw new UserError($"TopK: must be >= 0, got {options.TopK}");
        if (options.Temperature is { } t && !(t >= 0)) throw new UserError($"Temperature: must be >= 0, got {t}");
        if (options.TopP is { } p && !(p > 0 && p <= 1)) throw new UserError($"TopP: must be in (0, 1], got {p}");
        if (options.FrequencyPenalty is { } fp && !(fp is >= -2 and <= 2)) throw new UserError($"FrequencyPenalty: must be between -2 and 2, got {fp}");
        if (options.PresencePenalty is { } pp && !(pp is >= -2 and <= 2)) throw new UserError($"PresencePenalty: must be between -2 and 2, got {pp}");
        if (options.StopSequences?.Any(string.IsNullOrEmpty) == true) throw new UserError("StopSequences: stop sequences must be non-empty");
        var generation = new GenerationOptions
        {
            MaxNewTokens = options.MaxOutputTokens ?? room,
            Temperature = options.Temperature ?? 1.0,
            TopP = options.TopP ?? 1.0,
            TopK = options.TopK ?? 0,
            Seed = options.Seed,
            StopStrings = options.StopSequences?.ToList() ?? [],
            PresencePenalty = options.PresencePenalty ?? 0,
            FrequencyPenalty = options.FrequencyPenalty ?? 0,
        };
        if (options.ResponseFormat is ChatResponseFormatJson json)
        {
            Generation.Constraints.JsonSchemaNode schema;
            try
            {
                schema = json.Schema is { } s
                    ? Generation.Constraints.JsonSchemaNode.Parse(System.Text.Json.Nodes.JsonNode.Parse(s.GetRawText()), "schema")
                    : Generation.Constraints.JsonSchemaNode.AnyObject;
            }
            catch (UserError e) { throw new UserError($"ResponseFormat: {e.Message}", e); }
            if (constraintFor is null) throw new UserError("ResponseFormat: JSON answers need the engine's tokenizer (use TuneSharpChatClient)");
            generation = generation with { Constraint = () => constraintFor(schema) };
        }
        generation.Validate();
        return generation;
    }

    static void RejectUnsupported(ChatOptions options)
    {
        if (options.Tools is { Count: > 0 })
            throw new UserError("Tools: tool calling is not supported by TuneSharp's chat client");
    }
}
