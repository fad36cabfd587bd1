using System.Text;
using System.Text.Json.Nodes;
using TuneSharp.Generation;

namespace TuneSharp.Tests.Server;

/// <summary>Routes the OpenAI client does not cover (legacy completions, models, health, metrics) and bad requests.</summary>
public class HttpRouteTests(LlamaServerFixture fixture) : IClassFixture<LlamaServerFixture>
{
    const string Prompt = "Return the number";

    [Fact]
    public async Task Completions_take_a_list_of_prompts_and_match_the_text_generator()
    {
        using var http = ServerKit.Http(fixture.Server);
        string[] prompts = [Prompt, "A tiny model", "Fine-tuning adapts"];
        var (status, body, text) = await ServerKit.PostAsync(http, "/v1/completions",
            """{"model": "tiny-llama", "prompt": ["Return the number", "A tiny model", "Fine-tuning adapts"], "max_tokens": 10, "temperature": 0, "logprobs": 2}""");
        Assert.True(status == 200, text);
        var choices = body!["choices"]!.AsArray();
        Assert.Equal(3, choices.Count);
        int completionTokens = 0;
        for (int i = 0; i < prompts.Length; i++)
        {
            var ids = fixture.Tokenizer.Encode(prompts[i]);
            var reference = TextGenerator.Generate(fixture.Model, ids, new GenerationOptions { MaxNewTokens = 10, Logprobs = 2 });
            completionTokens += reference.NewIds.Count;
            Assert.Equal(fixture.Tokenizer.Decode(reference.NewIds, skipSpecialTokens: true), (string)choices[i]!["text"]!);
            Assert.Equal(i, (int)choices[i]!["index"]!);
            var lp = choices[i]!["logprobs"]!;
            Assert.Equal(reference.NewIds.Count, lp["tokens"]!.AsArray().Count);
            Assert.Equal(reference.Logprobs![0].Logprob, (double)lp["token_logprobs"]![0]!, 4);
            // The legacy format keys alternatives by text: two partial-byte tokens may share a key.
            Assert.InRange(lp["top_logprobs"]![0]!.AsObject().Count, 1, 2);
        }
        Assert.Equal(completionTokens, (int)body["usage"]!["completion_tokens"]!);
        Assert.Equal(prompts.Sum(p => fixture.Tokenizer.Encode(p).Count), (int)body["usage"]!["prompt_tokens"]!);
    }

    [Fact]
    public async Task Echo_with_logprobs_scores_each_prompt_token_given_the_ones_before_it()
    {
        using var http = ServerKit.Http(fixture.Server);
        var (status, body, text) = await ServerKit.PostAsync(http, "/v1/completions",
            """{"model": "tiny-llama", "prompt": "Return the number", "max_tokens": 3, "temperature": 0, "echo": true, "logprobs": 1}""");
        Assert.True(status == 200, text);
        var choice = body!["choices"]![0]!;
        var lp = choice["logprobs"]!;
        var prompt = fixture.Tokenizer.Encode(Prompt);
        var tokens = lp["token_logprobs"]!.AsArray();
        Assert.Equal(prompt.Count + 3, tokens.Count);
        Assert.Null(tokens[0]);
        Assert.Null(lp["top_logprobs"]![0]);
        Assert.StartsWith(Prompt, (string)choice["text"]!, StringComparison.Ordinal);
        // Token t's logprob is the model's next-token distribution after the first t prompt tokens alone.
        for (int t = 1; t < prompt.Count; t++)
        {
            using var ids = TorchSharp.torch.tensor(prompt.Take(t).Select(i => (long)i).ToArray()).unsqueeze(0);
            using var logits = fixture.Model.Forward(ids);
            float expected = logits[0, -1].log_softmax(0)[prompt[t]].item<float>();
            Assert.Equal(expected, (double)tokens[t]!, 4);
        }
        var reference = TextGenerator.Generate(fixture.Model, prompt, new GenerationOptions { MaxNewTokens = 3, Logprobs = 1 });
        Assert.Equal(reference.Logprobs![0].Logprob, (double)tokens[prompt.Count]!, 4);
    }

    [Fact]
    public async Task Completions_stream_echo_and_stop_strings()
    {
        using var http = ServerKit.Http(fixture.Server);
        var whole = await ServerKit.PostAsync(http, "/v1/completions",
            """{"model": "tiny-llama", "prompt": "Return the number", "max_tokens": 16, "temperature": 0}""");
        var full = (string)whole.Body!["choices"]![0]!["text"]!;
        var stop = full.Substring(full.Length / 2, 2);
        var cut = full[..full.IndexOf(stop, StringComparison.Ordinal)];

        var request = new JsonObject
        {
            ["model"] = "tiny-llama", ["prompt"] = Prompt, ["max_tokens"] = 16, ["temperature"] = 0, ["stream"] = true,
            ["echo"] = true, ["stop"] = new JsonArray(stop), ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        var (status, _, sse) = await ServerKit.PostAsync(http, "/v1/completions", request.ToJsonString());
        Assert.Equal(200, status);
        var events = ServerKit.Events(sse);
        var streamed = string.Concat(events.Where(e => e["choices"]!.AsArray().Count > 0).Select(e => (string)e["choices"]![0]!["text"]!));
        Assert.Equal(Prompt + cut, streamed);
        Assert.Equal("stop", (string)events.Last(e => e["choices"]!.AsArray().Count > 0)["choices"]![0]!["finish_reason"]!);
        Assert.True((int)events[^1]["usage"]!["completion_tokens"]! > 0);
    }

    [Fact]
    public async Task Chat_stream_chunks_follow_openai_format()
    {
        using var http = ServerKit.Http(fixture.Server);
        var (status, _, sse) = await ServerKit.PostAsync(http, "/v1/chat/completions",
            """{"model": "tiny-lora", "messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}], "max_completion_tokens": 6, "temperature": 0, "stream": true, "n": 2}""");
        Assert.Equal(200, status);
        var events = ServerKit.Events(sse);
        Assert.All(events, e => Assert.Equal("chat.completion.chunk", (string)e["object"]!));
        Assert.Equal("assistant", (string)events[0]["choices"]![0]!["delta"]!["role"]!);
        var texts = new[] { new StringBuilder(), new StringBuilder() };
        foreach (var e in events)
            foreach (var c in e["choices"]!.AsArray())
                if (c!["delta"]!["content"] is { } content) texts[(int)c["index"]!].Append((string)content!);
        Assert.Equal(texts[0].ToString(), texts[1].ToString()); // greedy: both choices agree
        Assert.Equal(2, events.Count(e => e["choices"]![0]!["finish_reason"] is not null));
    }

    [Fact]
    public async Task Embeddings_in_base64_decode_to_the_float_list()
    {
        using var http = ServerKit.Http(fixture.Server);
        var floats = await ServerKit.PostAsync(http, "/v1/embeddings", """{"model": "tiny-llama", "input": ["A tiny model", [5, 6, 7]]}""");
        var base64 = await ServerKit.PostAsync(http, "/v1/embeddings", """{"model": "tiny-llama", "input": ["A tiny model", [5, 6, 7]], "encoding_format": "base64"}""");
        Assert.Equal(200, floats.Status);
        for (int i = 0; i < 2; i++)
        {
            var list = floats.Body!["data"]![i]!["embedding"]!.AsArray().Select(x => (float)x!).ToArray();
            var bytes = Convert.FromBase64String((string)base64.Body!["data"]![i]!["embedding"]!);
            var decoded = Enumerable.Range(0, bytes.Length / 4).Select(k => BitConverter.ToSingle(bytes, k * 4)).ToArray();
            Assert.Equal(64, list.Length);
            Assert.Equal(list, decoded);
        }
        Assert.Equal(fixture.Tokenizer.Encode("A tiny model", addSpecialTokens: false).Count + 3, (int)floats.Body!["usage"]!["prompt_tokens"]!);
        var wrongSize = await ServerKit.PostAsync(http, "/v1/embeddings", """{"model": "tiny-llama", "input": "x", "dimensions": 12}""");
        Assert.Equal(400, wrongSize.Status);
    }

    [Fact]
    public async Task Models_health_and_metrics()
    {
        using var http = ServerKit.Http(fixture.Server);
        var models = JsonNode.Parse(await http.GetStringAsync("/v1/models"))!;
        Assert.Equal(["tiny-llama", "tiny-lora"], models["data"]!.AsArray().Select(m => (string)m!["id"]!).ToArray());
        using var anonymous = ServerKit.Http(fixture.Server, key: null);
        Assert.Equal("ok", (string)JsonNode.Parse(await anonymous.GetStringAsync("/health"))!["status"]!);
        var unauthorized = await anonymous.GetAsync("/metrics");
        Assert.Equal(401, (int)unauthorized.StatusCode);
        Assert.Equal("invalid_api_key", (string)JsonNode.Parse(await unauthorized.Content.ReadAsStringAsync())!["error"]!["code"]!);

        await ServerKit.PostAsync(http, "/v1/completions", """{"model": "tiny-llama", "prompt": "x", "max_tokens": 2}""");
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("tunesharp_requests_total{route=\"/v1/completions\",status=\"200\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("tunesharp_requests_total{route=\"/metrics\",status=\"401\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("tunesharp_request_duration_seconds_bucket{route=\"/v1/completions\",le=\"+Inf\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("tunesharp_queue_depth 0", metrics, StringComparison.Ordinal);
        Assert.Matches(@"tunesharp_generated_tokens_total [1-9]\d*", metrics);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [" },
        { "/v1/chat/completions", "[1, 2]" },
        { "/v1/chat/completions", "{\"model\": 5, \"messages\": []}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": \"hi\"}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": 3}]}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": -1}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 1e300}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 99999999999999999999999}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": \"hot\"}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 1000000}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stop\": [1]}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_logprobs\": 3}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\", \"schema\": {\"type\": \"string\", \"format\": \"email\"}}}}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\", \"schema\": \"oops\"}}}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"response_format\": {\"type\": \"xml\"}}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"response_format\": {\"type\": \"json_object\"}, \"max_tokens\": 1}" },
        { "/v1/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"presence_penalty\": 3}" },
        { "/v1/completions", "{\"model\": \"tiny-llama\", \"prompt\": [999999]}" },
        { "/v1/completions", "{\"model\": \"tiny-llama\", \"prompt\": {\"a\": 1}}" },
        { "/v1/completions", "{\"model\": \"tiny-llama\", \"prompt\": \"hi\", \"logprobs\": 2.5}" },
        { "/v1/completions", "{\"model\": \"tiny-llama\", \"prompt\": \"hi\", \"max_tokens\": 500}" },
        { "/v1/embeddings", "{\"model\": \"tiny-llama\", \"input\": null}" },
        { "/v1/embeddings", "{\"model\": \"tiny-llama\", \"input\": \"hi\", \"encoding_format\": \"hex\"}" },
        { "/v1/classify", "{\"model\": \"tiny-llama\", \"input\": \"hi\"}" },
    };

    [Fact]
    public async Task Chat_with_a_json_schema_answers_a_document_of_that_schema_and_json_object_an_object()
    {
        using var http = ServerKit.Http(fixture.Server);
        var schema = JsonNode.Parse("""{"type": "object", "properties": {"answer": {"type": "integer"}, "unit": {"enum": ["kg", "m"]}}, "required": ["answer", "unit"], "additionalProperties": false}""")!;
        var request = new JsonObject
        {
            ["model"] = "tiny-llama", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = Prompt }),
            ["max_tokens"] = 40, ["temperature"] = 1.0, ["seed"] = 3, ["n"] = 3, ["presence_penalty"] = 0.5, ["frequency_penalty"] = 0.5,
            ["response_format"] = new JsonObject { ["type"] = "json_schema", ["json_schema"] = new JsonObject { ["name"] = "measure", ["strict"] = true, ["schema"] = schema } },
        };
        var (status, body, text) = await ServerKit.PostAsync(http, "/v1/chat/completions", request.ToJsonString());
        Assert.True(status == 200, text);
        foreach (var choice in body!["choices"]!.AsArray())
        {
            var content = JsonNode.Parse((string)choice!["message"]!["content"]!)!.AsObject();
            Assert.Equal(["answer", "unit"], content.Select(p => p.Key));
            Assert.Equal(System.Text.Json.JsonValueKind.Number, content["answer"]!.GetValueKind());
            Assert.Contains((string)content["unit"]!, new[] { "kg", "m" });
            Assert.Equal("stop", (string)choice["finish_reason"]!);
        }
        request["response_format"] = new JsonObject { ["type"] = "json_object" };
        (status, body, text) = await ServerKit.PostAsync(http, "/v1/chat/completions", request.ToJsonString());
        Assert.True(status == 200, text);
        Assert.All(body!["choices"]!.AsArray(), c => Assert.IsType<JsonObject>(JsonNode.Parse((string)c!["message"]!["content"]!)));
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_are_400_with_openai_error_json(string path, string json)
    {
        using var http = ServerKit.Http(fixture.Server);
        var (status, body, text) = await ServerKit.PostAsync(http, path, json);
        Assert.True(status == 400, $"{status}: {text}");
        var error = body!["error"]!.AsObject();
        Assert.Equal("invalid_request_error", (string)error["type"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        Assert.True(error.ContainsKey("param") && error.ContainsKey("code"));
    }

    [Fact]
    public async Task Invalid_utf8_is_400_and_an_oversized_body_is_413()
    {
        using var http = ServerKit.Http(fixture.Server);
        var bytes = Encoding.UTF8.GetBytes("{\"model\": \"tiny-llama\", \"prompt\": \"ab\"}");
        bytes[bytes.Length - 4] = 0xC3; // a lead byte followed by '"': not UTF-8
        var (status, body, _) = await ServerKit.PostAsync(http, "/v1/completions", bytes);
        Assert.Equal(400, status);
        Assert.NotNull(body!["error"]);

        var huge = "{\"model\": \"tiny-llama\", \"prompt\": \"" + new string('a', 2 << 20) + "\"}";
        // "Expect: 100-continue" lets the server refuse before the 2 MB body is sent; without it the server's
        // early 413 can race the client's upload and arrive as a connection reset instead (seen under load).
        http.DefaultRequestHeaders.ExpectContinue = true;
        var (bigStatus, bigBody, _) = await ServerKit.PostAsync(http, "/v1/completions", huge);
        http.DefaultRequestHeaders.ExpectContinue = false;
        Assert.Equal(413, bigStatus);
        Assert.Equal("request_too_large", (string)bigBody!["error"]!["code"]!);
        var unknownRoute = await ServerKit.PostAsync(http, "/v1/nothing", "{}");
        Assert.Equal(404, unknownRoute.Status);
    }
}
