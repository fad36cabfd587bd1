using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TuneSharp.Generation;

namespace TuneSharp.Server;

/// <summary>
/// POST /v1/completions (OpenAI's legacy text completions): prompt as a string, a list of strings, a list of token
/// ids or a list of those; choices are ordered prompt by prompt, n per prompt; <c>logprobs</c> is an integer (top-k);
/// <c>echo</c> prepends the prompt text (and, with logprobs, the prompt tokens' logprobs, the first null).
/// </summary>
public static class CompletionsRoute
{
    /// <summary>Handles one request.</summary>
    public static async Task HandleAsync(HttpContext ctx, ServerContext server)
    {
        using var cts = server.RequestCancellation(ctx);
        var body = await HttpIo.ReadJsonAsync(ctx, server.Options.MaxBodyBytes, cts.Token).ConfigureAwait(false);
        var logprobs = JsonFields.Int(body, "logprobs", 0, 20);
        var request = GenerationRequest.Parse(body, logprobs is null ? null : (int)logprobs);
        bool echo = JsonFields.Bool(body, "echo") ?? false;
        JsonFields.Int(body, "best_of", 1, 1); // only best_of = 1 (the default) is supported
        if (JsonFields.String(body, "suffix") is { Length: > 0 }) throw ApiException.BadField("suffix", "not supported");
        server.RequireModel(request.Model);
        var model = server.Model;
        if (model.CausalLM is null)
            throw new ApiException(400, $"`{request.Model}` is not a generative model: use POST /v1/classify (classifiers) or /v1/embeddings (encoders).", param: "model");

        var prompts = Prompts(body, model);
        var rows = prompts.SelectMany(p => Enumerable.Repeat(p, request.N)).ToList();
        var options = ResponseFormat.Apply(request.Options with { MaxNewTokens = GenerationLimits.MaxTokens(server, prompts, request.MaxTokens, "prompt") }, request.Schema, model);
        int promptTokens = prompts.Sum(p => p.Count);
        var echoed = rows.Select(p => echo ? model.Tokenizer.Decode(p, skipSpecialTokens: true) : "").ToList();
        // echo + logprobs: the prompt's own logprobs, one forward pass per distinct prompt, on the worker.
        IReadOnlyList<TokenLogprob?>[]? promptLogprobs = null;
        if (echo && logprobs is long k)
            promptLogprobs = await server.RunAsync(_ => prompts.Select(p => model.PromptLogprobs(request.Model, p, (int)k)).ToArray(), cts.Token).ConfigureAwait(false);
        JsonNode? EchoedLogprobs(int row, IReadOnlyList<int> ids, IReadOnlyList<TokenLogprob> generated, int offset) => promptLogprobs is null
            ? OpenAIJson.LegacyLogprobs(model.Tokenizer, ids, generated, offset)
            : OpenAIJson.LegacyLogprobs(model.Tokenizer, [.. rows[row], .. ids], [.. promptLogprobs[row / request.N], .. generated], 0);

        string id = OpenAIJson.NewId("cmpl-");
        long created = OpenAIJson.Now();
        JsonObject Response(JsonArray choices) => new()
        {
            ["id"] = id, ["object"] = "text_completion", ["created"] = created, ["model"] = request.Model, ["choices"] = choices,
        };
        JsonObject Choice(int index, string text, JsonNode? lp, string? finish) => new()
        {
            ["text"] = text, ["index"] = index, ["logprobs"] = lp, ["finish_reason"] = finish,
        };

        if (request.Stream)
        {
            var reader = server.Stream(request.Model, rows, options, cts.Token);
            await HttpIo.StartEventsAsync(ctx).ConfigureAwait(false);
            int completion = 0;
            var started = new bool[rows.Count];
            var error = await SseLoop.PumpAsync(ctx, server, reader, cts.Token, async chunk =>
            {
                if (chunk.TokenId is not null) completion++;
                bool first = !started[chunk.Index];
                var text = (first ? echoed[chunk.Index] : "") + chunk.Delta;
                started[chunk.Index] = true;
                var lp = chunk.Logprob is null ? null : first
                    ? EchoedLogprobs(chunk.Index, [chunk.Logprob.TokenId], [chunk.Logprob], 0)
                    : OpenAIJson.LegacyLogprobs(model.Tokenizer, [chunk.Logprob.TokenId], [chunk.Logprob], 0);
                if (text.Length == 0 && lp is null && chunk.FinishReason is null) return;
                await HttpIo.WriteEventAsync(ctx, Response([Choice(chunk.Index, text, lp, chunk.FinishReason)]).ToJsonString()).ConfigureAwait(false);
            }).ConfigureAwait(false);
            server.Metrics.Tokens(promptTokens, completion);
            if (error is null && request.IncludeUsage)
            {
                var usage = Response([]);
                usage["usage"] = OpenAIJson.Usage(promptTokens, completion);
                await HttpIo.WriteEventAsync(ctx, usage.ToJsonString()).ConfigureAwait(false);
            }
            await HttpIo.WriteEventAsync(ctx, "[DONE]").ConfigureAwait(false);
            return;
        }

        var outputs = await server.CompleteAsync(request.Model, rows, options, cts.Token).ConfigureAwait(false);
        int generated = outputs.Sum(o => o.TokenIds.Count);
        server.Metrics.Tokens(promptTokens, generated);
        var response = Response(new JsonArray(outputs.Select(o => (JsonNode)Choice(o.Index, echoed[o.Index] + o.Text,
            o.Logprobs is null ? null : EchoedLogprobs(o.Index, o.TokenIds, o.Logprobs, echoed[o.Index].Length), o.FinishReason)).ToArray()));
        response["usage"] = OpenAIJson.Usage(promptTokens, generated);
        await HttpIo.WriteJsonAsync(ctx, 200, response).ConfigureAwait(false);
    }

    /// <summary>The prompts as token ids; text is encoded with the tokenizer's special tokens, as `generate` does.</summary>
    static List<IReadOnlyList<int>> Prompts(JsonObject body, ServedModel model)
    {
        var node = body["prompt"] ?? throw ApiException.BadField("prompt", "required field is missing");
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return [model.Tokenizer.Encode(v.GetValue<string>())];
        if (node is not JsonArray list || list.Count == 0) throw ApiException.BadField("prompt", "expected a string, a list of strings or token ids");
        if (list.Count > 64) throw ApiException.BadField("prompt", $"at most 64 prompts, got {list.Count}");
        if (list.All(x => x is JsonValue n && n.GetValueKind() == JsonValueKind.Number)) return [TokenIds(list, "prompt", model)];
        return list.Select((item, i) => item switch
        {
            JsonValue s when s.GetValueKind() == JsonValueKind.String => model.Tokenizer.Encode(s.GetValue<string>()),
            JsonArray ids => TokenIds(ids, $"prompt[{i}]", model),
            _ => throw ApiException.BadField($"prompt[{i}]", $"expected a string or a list of token ids, got {JsonFields.Kind(item)}"),
        }).ToList();
    }

    /// <summary>A list of token ids, each within the vocabulary.</summary>
    public static IReadOnlyList<int> TokenIds(JsonArray ids, string where, ServedModel model)
    {
        int vocab = model.CausalLM?.Info.VocabSize ?? model.Tokenizer.VocabSize;
        var holder = new JsonObject();
        return ids.Select((x, i) =>
        {
            holder["id"] = x?.DeepClone();
            return (int)(JsonFields.Int(holder, "id", 0, vocab - 1) is long l ? l : throw ApiException.BadField($"{where}[{i}]", "a token id is null"));
        }).ToList();
    }
}
