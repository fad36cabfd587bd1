using System.Text.Json.Nodes;
using TuneSharp.Generation;

namespace TuneSharp.Server;

/// <summary>
/// The sampling fields shared by /v1/chat/completions and /v1/completions, validated. Besides OpenAI's fields it
/// takes vLLM's <c>top_k</c>, <c>min_p</c>, <c>repetition_penalty</c> and <c>ignore_eos</c>; <c>response_format</c>
/// is the schema the output must match (<see cref="ResponseFormat"/>).
/// </summary>
public sealed record GenerationRequest(string Model, int N, bool Stream, bool IncludeUsage, int? MaxTokens,
    GenerationOptions Options, Generation.Constraints.JsonSchemaNode? Schema = null)
{
    /// <summary>Reads the fields; <paramref name="logprobs"/> is the already-parsed top-k (null = no logprobs).</summary>
    public static GenerationRequest Parse(JsonObject o, int? logprobs)
    {
        var model = JsonFields.RequiredString(o, "model");
        int n = (int)(JsonFields.Int(o, "n", 1, 16) ?? 1);
        bool stream = JsonFields.Bool(o, "stream") ?? false;
        bool includeUsage = false;
        if (o["stream_options"] is JsonObject so) includeUsage = JsonFields.Bool(so, "include_usage") ?? false;
        else if (o["stream_options"] is { } bad) throw ApiException.BadField("stream_options", $"expected an object, got {JsonFields.Kind(bad)}");
        // max_completion_tokens is the newer name; either bounds the completion.
        long? maxTokens = JsonFields.Int(o, "max_completion_tokens", 1, int.MaxValue) ?? JsonFields.Int(o, "max_tokens", 1, int.MaxValue);
        var stop = JsonFields.StringOrList(o, "stop", 4) ?? [];
        if (stop.Any(s => s.Length == 0)) throw ApiException.BadField("stop", "stop strings must be non-empty");
        var options = new GenerationOptions
        {
            Temperature = JsonFields.Number(o, "temperature", 0, 2) ?? 1.0,
            TopP = JsonFields.Number(o, "top_p", 0, 1) is { } topP ? Math.Max(topP, 1e-9) : 1.0,
            TopK = (int)(JsonFields.Int(o, "top_k", -1, 1_000_000) is { } k && k > 0 ? k : 0),
            MinP = JsonFields.Number(o, "min_p", 0, 1) ?? 0,
            RepetitionPenalty = JsonFields.Number(o, "repetition_penalty", 1e-3, 100) ?? 1.0,
            PresencePenalty = JsonFields.Number(o, "presence_penalty", -2, 2) ?? 0,
            FrequencyPenalty = JsonFields.Number(o, "frequency_penalty", -2, 2) ?? 0,
            Seed = JsonFields.Int(o, "seed", long.MinValue, long.MaxValue),
            StopStrings = stop,
            IgnoreEos = JsonFields.Bool(o, "ignore_eos") ?? false,
            Logprobs = logprobs,
        };
        return new GenerationRequest(model, n, stream, includeUsage, maxTokens is null ? null : (int)maxTokens, options, ResponseFormat.Parse(o));
    }
}
