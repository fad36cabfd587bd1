using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TuneSharp.Server;

/// <summary>
/// POST /v1/embeddings, as float lists or base64 of little-endian float32 (<c>encoding_format</c>). A causal LM gives
/// the mean of its last hidden states over each input's tokens (no special tokens added); a sentence encoder folder
/// gives its own embedding (sentence-transformers pooling and normalisation, [CLS]/[SEP] added, text truncated at
/// its max_seq_length as sentence-transformers does).
/// </summary>
public static class EmbeddingsRoute
{
    /// <summary>Handles one request.</summary>
    public static async Task HandleAsync(HttpContext ctx, ServerContext server)
    {
        using var cts = server.RequestCancellation(ctx);
        var body = await HttpIo.ReadJsonAsync(ctx, server.Options.MaxBodyBytes, cts.Token).ConfigureAwait(false);
        var modelName = JsonFields.RequiredString(body, "model");
        var format = JsonFields.String(body, "encoding_format") ?? "float";
        if (format is not ("float" or "base64")) throw ApiException.BadField("encoding_format", $"expected \"float\" or \"base64\", got \"{format}\"");
        server.RequireModel(modelName);
        var model = server.Model;
        if (model.Classifier is not null) throw new ApiException(400, $"`{modelName}` is a classification model: use POST /v1/classify.", param: "model");
        int dimension = model.Encoder?.Dimension ?? model.CausalLM!.Info.HiddenSize;
        if (JsonFields.Int(body, "dimensions", 1, int.MaxValue) is long d && d != dimension)
            throw ApiException.BadField("dimensions", $"this model's embeddings have {dimension} dimensions, got {d}");
        var inputs = Inputs(body, model);
        if (inputs.Any(i => i.Count == 0)) throw ApiException.BadField("input", "an input encodes to no tokens");
        int longest = inputs.Max(i => i.Count);
        int cap = Math.Min(model.ContextLength, server.Options.MaxPromptTokens ?? int.MaxValue);
        if (longest > cap)
            throw new ApiException(400, $"This model's maximum input length is {cap} tokens. However, an input has {longest} tokens.",
                param: "input", code: "context_length_exceeded");

        var vectors = await server.RunAsync(_ => model.Embed(modelName, inputs), cts.Token).ConfigureAwait(false);
        int tokens = inputs.Sum(i => i.Count);
        server.Metrics.Tokens(tokens, 0);
        var data = new JsonArray(vectors.Select((v, i) => (JsonNode)new JsonObject
        {
            ["object"] = "embedding", ["index"] = i,
            ["embedding"] = format == "base64" ? Convert.ToBase64String(Bytes(v)) : new JsonArray(v.Select(x => (JsonNode)x).ToArray()),
        }).ToArray());
        await HttpIo.WriteJsonAsync(ctx, 200, new JsonObject
        {
            ["object"] = "list", ["data"] = data, ["model"] = modelName,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }).ConfigureAwait(false);
    }

    static byte[] Bytes(float[] v)
    {
        var bytes = new byte[v.Length * 4];
        for (int i = 0; i < v.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), v[i]);
        return bytes;
    }

    /// <summary>A string, a list of strings, a list of token ids, or a list of those (at most 256 inputs).</summary>
    static List<IReadOnlyList<int>> Inputs(JsonObject body, ServedModel model)
    {
        var node = body["input"] ?? throw ApiException.BadField("input", "required field is missing");
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) return [Text(model, v.GetValue<string>())];
        if (node is not JsonArray list || list.Count == 0) throw ApiException.BadField("input", "expected a string, a list of strings or token ids");
        if (list.Count > 256) throw ApiException.BadField("input", $"at most 256 inputs, got {list.Count}");
        if (list.All(x => x is JsonValue n && n.GetValueKind() == JsonValueKind.Number)) return [CompletionsRoute.TokenIds(list, "input", model)];
        return list.Select((item, i) => item switch
        {
            JsonValue s when s.GetValueKind() == JsonValueKind.String => Text(model, s.GetValue<string>()),
            JsonArray ids => CompletionsRoute.TokenIds(ids, $"input[{i}]", model),
            _ => throw ApiException.BadField($"input[{i}]", $"expected a string or a list of token ids, got {JsonFields.Kind(item)}"),
        }).ToList();
    }

    // An encoder reads [CLS] text [SEP], cut at its max_seq_length; a causal LM reads the bare tokens.
    static IReadOnlyList<int> Text(ServedModel model, string text) => model.Encoder is { } encoder
        ? encoder.Tokenizer.EncodeBatch([text], new Tokenization.EncodeOptions { Truncation = true, MaxLength = encoder.MaxLength, Padding = Tokenization.Padding.None }).InputIds[0]
        : model.Tokenizer.Encode(text, addSpecialTokens: false);
}
