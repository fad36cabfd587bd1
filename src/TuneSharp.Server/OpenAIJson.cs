using System.Text.Json.Nodes;
using TuneSharp.Generation;
using TuneSharp.Tokenization;

namespace TuneSharp.Server;

/// <summary>OpenAI's response shapes: ids, usage and the two logprobs formats.</summary>
public static class OpenAIJson
{
    /// <summary>A fresh response id with OpenAI's prefix (chatcmpl-, cmpl-).</summary>
    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");

    /// <summary>Seconds since the Unix epoch.</summary>
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>{"prompt_tokens", "completion_tokens", "total_tokens"}.</summary>
    public static JsonObject Usage(int prompt, int completion) => new()
    {
        ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion,
    };

    /// <summary>Chat logprobs: {"content": [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}]}.</summary>
    public static JsonObject ChatLogprobs(HfTokenizer tokenizer, IEnumerable<TokenLogprob> tokens) => new()
    {
        ["content"] = new JsonArray(tokens.Select(t =>
        {
            var entry = Entry(tokenizer, t.TokenId, t.Logprob);
            entry["top_logprobs"] = new JsonArray(t.Top.Select(a => (JsonNode)Entry(tokenizer, a.TokenId, a.Logprob)).ToArray());
            return (JsonNode)entry;
        }).ToArray()),
        ["refusal"] = null,
    };

    static JsonObject Entry(HfTokenizer tokenizer, int id, double logprob)
    {
        var (text, bytes) = TokenBytes.Of(tokenizer, id);
        return new JsonObject
        {
            ["token"] = text, ["logprob"] = logprob,
            ["bytes"] = new JsonArray(bytes.Select(b => (JsonNode)(int)b).ToArray()),
        };
    }

    /// <summary>
    /// Legacy completions logprobs: {"tokens", "token_logprobs", "top_logprobs": [{token: logprob}], "text_offset"};
    /// offsets count characters from <paramref name="offset"/> (the echoed prompt's length, or 0). A null entry is a
    /// token nothing predicts (the first echoed prompt token): its logprob and alternatives are null.
    /// </summary>
    public static JsonObject LegacyLogprobs(HfTokenizer tokenizer, IReadOnlyList<int> ids, IReadOnlyList<TokenLogprob?> tokens, int offset)
    {
        var texts = new JsonArray();
        var values = new JsonArray();
        var tops = new JsonArray();
        var offsets = new JsonArray();
        for (int i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            var text = TokenBytes.Of(tokenizer, ids[i]).Text;
            texts.Add(text);
            values.Add(t?.Logprob);
            JsonObject? top = null;
            if (t is not null)
            {
                top = new JsonObject();
                foreach (var a in t.Top) top[TokenBytes.Of(tokenizer, a.TokenId).Text] = a.Logprob;
            }
            tops.Add(top);
            offsets.Add(offset);
            offset += text.Length;
        }
        return new JsonObject { ["tokens"] = texts, ["token_logprobs"] = values, ["top_logprobs"] = tops, ["text_offset"] = offsets };
    }
}
