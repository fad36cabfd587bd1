using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TuneSharp.Generation;
using TuneSharp.Templates;

namespace TuneSharp.Server;

/// <summary>POST /v1/chat/completions: the tokenizer's chat template, then generation, whole or streamed (SSE).</summary>
public static class ChatRoute
{
    /// <summary>Handles one request.</summary>
    public static async Task HandleAsync(HttpContext ctx, ServerContext server)
    {
        using var cts = server.RequestCancellation(ctx);
        var body = await HttpIo.ReadJsonAsync(ctx, server.Options.MaxBodyBytes, cts.Token).ConfigureAwait(false);
        bool wantLogprobs = JsonFields.Bool(body, "logprobs") ?? false;
        var topLogprobs = JsonFields.Int(body, "top_logprobs", 0, 20);
        if (topLogprobs is not null && !wantLogprobs) throw ApiException.BadField("top_logprobs", "requires logprobs: true");
        var request = GenerationRequest.Parse(body, wantLogprobs ? (int)(topLogprobs ?? 0) : null);
        server.RequireModel(request.Model);
        var model = server.Model;
        if (model.CausalLM is null)
            throw new ApiException(400, $"`{request.Model}` is not a generative model: use POST /v1/classify (classifiers) or /v1/embeddings (encoders).", param: "model");
        var template = model.Template
            ?? throw new ApiException(400, $"`{request.Model}` has no chat template (tokenizer_config.json / chat_template.jinja): use /v1/completions.", param: "model");

        var messages = Messages(body);
        IReadOnlyList<int> prompt;
        try { prompt = ChatPrompt.Ids(template, model.Tokenizer, messages); }
        catch (UserError e) { throw new ApiException(400, $"The chat template failed on these messages: {e.Message}", param: "messages"); }
        var prompts = Enumerable.Repeat(prompt, request.N).ToList();
        var options = ResponseFormat.Apply(request.Options with { MaxNewTokens = GenerationLimits.MaxTokens(server, [prompt], request.MaxTokens, "messages") }, request.Schema, model);

        string id = OpenAIJson.NewId("chatcmpl-");
        long created = OpenAIJson.Now();
        if (request.Stream)
        {
            await StreamAsync(ctx, server, request, prompts, options, id, created, cts.Token).ConfigureAwait(false);
            return;
        }
        var outputs = await server.CompleteAsync(request.Model, prompts, options, cts.Token).ConfigureAwait(false);
        int completion = outputs.Sum(o => o.TokenIds.Count);
        server.Metrics.Tokens(prompt.Count, completion);
        var response = new JsonObject
        {
            ["id"] = id, ["object"] = "chat.completion", ["created"] = created, ["model"] = request.Model,
            ["choices"] = new JsonArray(outputs.Select(o => (JsonNode)new JsonObject
            {
                ["index"] = o.Index,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = o.Text, ["refusal"] = null },
                ["logprobs"] = o.Logprobs is null ? null : OpenAIJson.ChatLogprobs(model.Tokenizer, o.Logprobs),
                ["finish_reason"] = o.FinishReason,
            }).ToArray()),
            ["usage"] = OpenAIJson.Usage(prompt.Count, completion),
        };
        await HttpIo.WriteJsonAsync(ctx, 200, response).ConfigureAwait(false);
    }

    static async Task StreamAsync(HttpContext ctx, ServerContext server, GenerationRequest request, List<IReadOnlyList<int>> prompts,
        GenerationOptions options, string id, long created, CancellationToken cancel)
    {
        var reader = server.Stream(request.Model, prompts, options, cancel);
        JsonObject Chunk(JsonArray choices) => new()
        {
            ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = request.Model, ["choices"] = choices,
        };
        JsonObject Choice(int index, JsonObject delta, JsonNode? logprobs, string? finish) => new()
        {
            ["index"] = index, ["delta"] = delta, ["logprobs"] = logprobs, ["finish_reason"] = finish,
        };
        await HttpIo.StartEventsAsync(ctx).ConfigureAwait(false);
        for (int i = 0; i < prompts.Count; i++)
            await HttpIo.WriteEventAsync(ctx, Chunk([Choice(i, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null, null)]).ToJsonString()).ConfigureAwait(false);
        int completion = 0;
        var error = await SseLoop.PumpAsync(ctx, server, reader, cancel, async chunk =>
        {
            if (chunk.TokenId is not null) completion++;
            var logprobs = chunk.Logprob is null ? null : OpenAIJson.ChatLogprobs(server.Model.Tokenizer, [chunk.Logprob]);
            if (chunk.Delta.Length == 0 && logprobs is null && chunk.FinishReason is null) return;
            var delta = chunk.Delta.Length > 0 || logprobs is not null ? new JsonObject { ["content"] = chunk.Delta } : new JsonObject();
            await HttpIo.WriteEventAsync(ctx, Chunk([Choice(chunk.Index, delta, logprobs, chunk.FinishReason)]).ToJsonString()).ConfigureAwait(false);
        }).ConfigureAwait(false);
        server.Metrics.Tokens(prompts[0].Count, completion);
        if (error is null && request.IncludeUsage)
        {
            var usage = Chunk([]);
            usage["usage"] = OpenAIJson.Usage(prompts[0].Count, completion);
            await HttpIo.WriteEventAsync(ctx, usage.ToJsonString()).ConfigureAwait(false);
        }
        await HttpIo.WriteEventAsync(ctx, "[DONE]").ConfigureAwait(false);
    }

    /// <summary>
    /// The messages as the template sees them: role and content strings (content parts of type "text" are joined;
    /// null content, as in assistant tool calls, becomes "").
    /// </summary>
    static JsonArray Messages(JsonObject body)
    {
        if (body["messages"] is not JsonArray list) throw ApiException.BadField("messages", body["messages"] is null ? "required field is missing" : $"expected a list, got {JsonFields.Kind(body["messages"])}");
        if (list.Count == 0) throw ApiException.BadField("messages", "must contain at least one message");
        var result = new JsonArray();
        for (int i = 0; i < list.Count; i++)
        {
            string where = $"messages[{i}]";
            if (list[i] is not JsonObject m) throw ApiException.BadField(where, $"expected an object, got {JsonFields.Kind(list[i])}");
            var role = JsonFields.String(m, "role") ?? throw ApiException.BadField(where + ".role", "required field is missing");
            result.Add(new JsonObject { ["role"] = role, ["content"] = Content(m["content"], where + ".content") });
        }
        return result;
    }

    static string Content(JsonNode? content, string where) => content switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select((p, i) =>
            p is JsonObject part && JsonFields.String(part, "type") == "text" && JsonFields.String(part, "text") is { } t
                ? t
                : throw ApiException.BadField($"{where}[{i}]", "only text parts ({\"type\": \"text\", \"text\": ...}) are supported"))),
        _ => throw ApiException.BadField(where, $"expected a string or a list of parts, got {JsonFields.Kind(content)}"),
    };
}
