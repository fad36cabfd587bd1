using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TuneSharp.Server;

/// <summary>
/// POST /v1/classify (not an OpenAI route): <c>{"model", "input": "text" | ["text", ...]}</c> →
/// <c>{"object": "list", "data": [{"index", "label", "probs": {label: p}}], "usage"}</c>, for classifier folders.
/// </summary>
public static class ClassifyRoute
{
    /// <summary>Handles one request.</summary>
    public static async Task HandleAsync(HttpContext ctx, ServerContext server)
    {
        using var cts = server.RequestCancellation(ctx);
        var body = await HttpIo.ReadJsonAsync(ctx, server.Options.MaxBodyBytes, cts.Token).ConfigureAwait(false);
        var modelName = JsonFields.RequiredString(body, "model");
        var texts = JsonFields.StringOrList(body, "input", 256) ?? throw ApiException.BadField("input", "required field is missing");
        if (texts.Count == 0) throw ApiException.BadField("input", "give at least one text");
        server.RequireModel(modelName);
        var classifier = server.Model.Classifier
            ?? throw new ApiException(400, $"`{modelName}` is not a classification model (config.json architectures *ForSequenceClassification).", param: "model");
        var encoded = texts.Select(t => (IReadOnlyList<int>)classifier.Tokenizer.Encode(t)).ToList();
        int cap = Math.Min(classifier.MaxLength, server.Options.MaxPromptTokens ?? int.MaxValue);
        for (int i = 0; i < encoded.Count; i++)
        {
            if (encoded[i].Count == 0) throw ApiException.BadField($"input[{i}]", "encodes to no tokens");
            if (encoded[i].Count > cap)
                throw new ApiException(400, $"This model's maximum input length is {cap} tokens. However, input {i} has {encoded[i].Count} tokens.",
                    param: "input", code: "context_length_exceeded");
        }
        var probs = await server.RunAsync(_ => classifier.Classify(encoded), cts.Token).ConfigureAwait(false);
        int tokens = encoded.Sum(e => e.Count);
        server.Metrics.Tokens(tokens, 0);
        var data = new JsonArray(probs.Select((p, i) =>
        {
            var byLabel = new JsonObject();
            for (int k = 0; k < p.Length; k++) byLabel[classifier.Labels.Names[k]] = p[k];
            int best = Array.IndexOf(p, p.Max());
            return (JsonNode)new JsonObject { ["index"] = i, ["label"] = classifier.Labels.Names[best], ["probs"] = byLabel };
        }).ToArray());
        await HttpIo.WriteJsonAsync(ctx, 200, new JsonObject
        {
            ["object"] = "list", ["model"] = modelName, ["data"] = data,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }).ConfigureAwait(false);
    }
}
