using System.Text;

namespace TuneSharp.Hardening;

/// <summary>
/// Seeded malformed requests for the OpenAI routes: wrong types, huge numbers, invalid UTF-8, deep JSON, duplicate
/// keys, unknown fields, oversized bodies, broken HTTP, missing or wrong API keys, and model names that look like
/// paths. Each must be answered with a 4xx (or, for harmless oddities like an unknown field, a 200), never a 5xx.
/// </summary>
public static class HostileRequests
{
    static readonly string[] Routes = ["/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/classify"];

    static readonly string[] Values =
    [
        "null", "true", "-1", "0", "1e308", "-1e308", "1.5", "9223372036854775808", "99999999999999999999999999",
        "\"\"", "\"x\"", "[]", "{}", "[1,2]", "[\"a\",null]", "{\"role\":1}", "\"\\ud800\"", "\"\\u0000\"",
    ];

    static readonly string[] Fields =
    [
        "model", "messages", "prompt", "input", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "n",
        "stream", "stream_options", "stop", "seed", "logprobs", "top_logprobs", "min_p", "repetition_penalty", "ignore_eos",
    ];

    // Model names that would escape a folder if any route joined them to a path; the server must only match names.
    static readonly string[] PathNames = ["../../etc/passwd", "/etc/passwd", "..\\..\\x", "tiny-llama/../../x", "%2e%2e/x", "\u0000", "con", "a/b"];

    /// <summary>Request <paramref name="i"/> of the sequence drawn from <paramref name="rng"/>: its bytes and its kind.</summary>
    public static (byte[] Bytes, string Kind) Next(Random rng, string model, string apiKey, long maxBodyBytes)
    {
        string route = Routes[rng.Next(Routes.Length)];
        byte[] Post(string body) => RawHttp.Request("POST", route, Encoding.UTF8.GetBytes(body), apiKey);
        string Field() => Fields[rng.Next(Fields.Length)];
        string Value() => Values[rng.Next(Values.Length)];
        string baseBody = $"\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],\"prompt\":\"hi\",\"input\":\"hi\",\"max_tokens\":2";
        switch (rng.Next(12))
        {
            case 0: return (Post($"{{{baseBody},\"{Field()}\":{Value()}}}"), "wrong-type");
            case 1: return (Post($"{{{baseBody},\"{Field()}\":{Value()},\"{Field()}\":{Value()}}}"), "two-wrong-types");
            case 2:
                var bad = RawHttp.Request("POST", route, [.. "{\"model\":\""u8.ToArray(), 0xC3, 0x28, 0xFF, .. "\"}"u8.ToArray()], apiKey);
                return (bad, "invalid-utf8");
            case 3:
                int depth = rng.Next(2) == 0 ? 65 : 5000;
                return (Post($"{{{baseBody},\"x\":{new string('[', depth)}{new string(']', depth)}}}"), "deep-json");
            case 4: return (Post($"{{{baseBody},\"{Field()}\":1,\"{Field()}\":2,\"model\":\"{model}\"}}"), "duplicate-key");
            case 5: return (Post($"{{{baseBody},\"unknown_{rng.Next(1000)}\":{{\"a\":[1,2,3]}}}}"), "unknown-field");
            case 6: return (Post(new string('a', (int)Math.Min(maxBodyBytes + 1 + rng.Next(4096), 8 << 20))), "oversized-body");
            case 7: return (Post(Truncate(rng, $"{{{baseBody}}}")), "truncated-json");
            case 8: return (Post($"{{\"model\":{Json(PathNames[rng.Next(PathNames.Length)])},\"prompt\":\"hi\",\"input\":\"hi\",\"messages\":[{{\"role\":\"user\",\"content\":\"x\"}}]}}"), "path-like-model");
            case 9: return (RawHttp.Request("POST", route, Encoding.UTF8.GetBytes($"{{{baseBody}}}"), rng.Next(2) == 0 ? null : apiKey + "x"), "bad-api-key");
            case 10: return (Encoding.ASCII.GetBytes(BrokenHttp(rng, route, apiKey)), "broken-http");
            default:
                var mutated = Mutator.Mutate(Encoding.UTF8.GetBytes($"{{{baseBody}}}"), rng).Bytes;
                return (RawHttp.Request("POST", route, mutated, apiKey), "mutated-body");
        }
    }

    static string Json(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    static string Truncate(Random rng, string s) => s[..rng.Next(1, s.Length)];

    static string BrokenHttp(Random rng, string route, string key) => rng.Next(5) switch
    {
        0 => $"POST {route} HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n{{}}",
        1 => $"POST {route} HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n",
        2 => $"GARBAGE\r\n\r\n",
        3 => $"POST {route} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n",
        _ => $"GET /v1/models/{new string('a', 10000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    };
}
