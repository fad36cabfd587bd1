using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.Generation;
using TuneSharp.Generation.Constraints;
using TuneSharp.Models;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Generation;

/// <summary>Structured outputs: the byte-level JSON decoder state, its exact shortest ending, and constrained decoding on a tiny model.</summary>
public sealed class JsonConstraintTests(Xunit.Abstractions.ITestOutputHelper output)
{
    const string Person = """
        {"type": "object", "properties": {
           "name": {"type": "string"},
           "age": {"type": "integer"},
           "nickname": {"type": ["string", "null"]},
           "mood": {"enum": ["happy", "sad", 3, null]},
           "tags": {"type": "array", "items": {"type": "boolean"}, "minItems": 1, "maxItems": 3},
           "address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "number"}}, "required": ["city", "zip"], "additionalProperties": false}
         }, "required": ["name", "age", "mood", "tags", "address"], "additionalProperties": false}
        """;

    static JsonSchemaNode Schema(string json) => JsonSchemaNode.Parse(JsonNode.Parse(json));

    static JsonDecoderState? Feed(JsonDecoderState? s, string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text)) s = s?.Step(b);
        return s;
    }

    [Theory]
    [InlineData("""{"name":"Ann","age":30,"mood":"happy","tags":[true],"address":{"city":"Oslo","zip":1.5e3}}""", true)]
    [InlineData("""{"name":"A\"n\u00e9","age":-0,"nickname":null,"mood":3,"tags":[false,true,true],"address":{"city":"","zip":0}}""", true)]
    [InlineData("""{"age":30,"name":"Ann","mood":"happy","tags":[true],"address":{"city":"Oslo","zip":1}}""", false)] // order
    [InlineData("""{"name":"Ann","age":3.5,"mood":"happy","tags":[true],"address":{"city":"Oslo","zip":1}}""", false)] // integer
    [InlineData("""{"name":"Ann","age":30,"mood":"angry","tags":[true],"address":{"city":"Oslo","zip":1}}""", false)] // enum
    [InlineData("""{"name":"Ann","age":30,"mood":"happy","tags":[],"address":{"city":"Oslo","zip":1}}""", false)] // minItems
    [InlineData("""{"name":"Ann","age":30,"mood":"happy","tags":[true,true,true,true],"address":{"city":"Oslo","zip":1}}""", false)] // maxItems
    [InlineData("""{"name":"Ann","age":30,"mood":"happy","tags":[true],"address":{"city":"Oslo"}}""", false)] // required
    [InlineData("""{"name":"Ann","age":30,"mood":"happy","tags":[true],"address":{"city":"Oslo","zip":1},"x":1}""", false)] // extra key
    [InlineData("""{"name": "Ann"}""", false)] // whitespace: compact JSON only
    public void The_decoder_accepts_exactly_the_documents_of_the_schema(string document, bool valid)
    {
        var s = Feed(JsonDecoderState.Start(Schema(Person)), document);
        Assert.Equal(valid, s is { CanEnd: true });
        if (valid) Assert.True(s!.IsDone);
    }

    [Theory]
    [InlineData("""{"a":[1,{"b":null}],"c":"x"}""", true)]
    [InlineData("{}", true)]
    [InlineData("[1]", false)]
    [InlineData("\"text\"", false)]
    public void Json_object_mode_takes_any_object(string document, bool valid) =>
        Assert.Equal(valid, Feed(JsonDecoderState.Start(JsonSchemaNode.AnyObject), document) is { CanEnd: true });

    [Fact]
    public void A_top_level_number_may_end_or_grow()
    {
        var s = Feed(JsonDecoderState.Start(Schema("""{"type": "number"}""")), "12");
        Assert.True(s!.CanEnd);
        Assert.False(s.IsDone);
        Assert.NotNull(Feed(s, ".5e-3"));
        Assert.Null(Feed(Feed(JsonDecoderState.Start(Schema("""{"type": "integer"}""")), "12"), "."));
    }

    static readonly byte[] Alphabet = Encoding.ASCII.GetBytes("{}[]\":,-+.0123456789eEtrufalsnxyzcityipagemodhpbk\\/ ");

    [Fact]
    public void The_shortest_ending_is_exact_one_byte_always_brings_it_one_closer_and_none_more()
    {
        // From states reached by random valid walks: some byte lowers MinBytesToEnd by exactly one, none by more, and
        // it is 0 exactly when the document may end. By induction the bound is the true shortest ending.
        var rng = new Random(5);
        foreach (var schema in new[] { Schema(Person), JsonSchemaNode.AnyObject, Schema("""{"type": "array", "items": {"enum": ["ab", "abc", 12, 1]}, "minItems": 2}""") })
            for (int walk = 0; walk < 40; walk++)
            {
                var s = JsonDecoderState.Start(schema);
                for (int step = 0; step < 60 && !s.IsDone; step++)
                {
                    int m = s.MinBytesToEnd();
                    Assert.Equal(m == 0, s.CanEnd);
                    var next = Alphabet.Select(b => (b, n: s.Step(b))).Where(x => x.n is not null).ToList();
                    Assert.NotEmpty(next);
                    var costs = next.Select(x => x.n!.MinBytesToEnd()).ToList();
                    if (m > 0) Assert.Contains(m - 1, costs);
                    Assert.All(costs, c => Assert.True(c >= m - 1, $"a byte lowered {m} to {c}"));
                    s = next[rng.Next(next.Count)].n!;
                }
            }
    }

    [Theory]
    [InlineData("""{"type": "string", "pattern": "a+"}""", "schema.pattern")]
    [InlineData("""{"anyOf": [{"type": "string"}]}""", "schema.anyOf")]
    [InlineData("""{"type": "object", "properties": {"a": {"type": "date"}}}""", "schema.properties.a.type")]
    [InlineData("""{"type": "object", "properties": {"a": {}}, "required": ["b"]}""", "schema.required")]
    [InlineData("""{"type": "object", "properties": {"a": {}}, "additionalProperties": true}""", "schema.additionalProperties")]
    [InlineData("""{"type": "array", "minItems": 3, "maxItems": 2}""", "schema.maxItems")]
    public void An_unsupported_or_malformed_schema_is_one_error_naming_its_path(string schema, string path)
    {
        var e = Assert.Throws<UserError>(() => Schema(schema));
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Person, 1)]
    [InlineData(Person, 2)]
    [InlineData(Person, 3)]
    [InlineData("""{"type": "object", "properties": {"ok": {"type": "boolean"}, "n": {"type": "array", "items": {"type": "number"}}}, "required": ["ok", "n"]}""", 4)]
    [InlineData(null, 5)]
    public void Every_sampled_output_of_a_tiny_random_model_parses_and_matches_its_schema(string? schemaJson, int seed)
    {
        using var model = Pretrained.LoadCausalLM(Fixtures.HfTiny("tiny-llama"));
        var tokenizer = HfTokenizer.Load(Fixtures.HfTiny("tiny-llama"));
        var schema = schemaJson is null ? JsonSchemaNode.AnyObject : Schema(schemaJson);
        var ends = model.Info.EosTokenIds.ToHashSet();
        // A budget close to the shortest document, so the budget rule has to close it in time.
        int budget = schema.MinLength + 25;
        var options = new GenerationOptions { Temperature = 1.0, Seed = seed, MaxNewTokens = budget, Constraint = () => new JsonConstraint(tokenizer, schema, ends) };
        var outputs = TextCompletion.Complete(model, tokenizer, [tokenizer.Encode("Answer in JSON:"), tokenizer.Encode("{")], options);
        foreach (var o in outputs)
        {
            output.WriteLine($"{o.TokenIds.Count} tokens of {budget}: {o.Text}");
            Assert.Equal("stop", o.FinishReason);
            Assert.DoesNotContain('\uFFFD', o.Text); // strings hold whole UTF-8 characters
            var parsed = JsonNode.Parse(o.Text); // throws if not JSON
            if (schemaJson is not null) SchemaCheck.Validate(JsonNode.Parse(schemaJson)!, parsed, "$");
            else Assert.IsType<JsonObject>(parsed);
        }
    }

    [Fact]
    public void Presence_and_frequency_penalties_follow_openai_arithmetic()
    {
        using var logits = tensor(new float[] { 1f, 2f, 2.6f });
        var o = new GenerationOptions { PresencePenalty = 1.0, FrequencyPenalty = 0.5 };
        // token 2 generated twice: 2.6 − (2·0.5 + 1) = 0.6; token 1 once: 2 − 1.5 = 0.5; token 0 untouched: 1.
        Assert.Equal(0, Sampler.Next(logits, o, [], null, generated: [2, 2, 1]));
        Assert.Equal(2, Sampler.Next(logits, new GenerationOptions(), [], null, generated: [2, 2, 1]));
    }
}

/// <summary>An independent check of a value against the schema subset (test side: not the decoder's code).</summary>
internal static class SchemaCheck
{
    public static void Validate(JsonNode schema, JsonNode? value, string path)
    {
        var s = (JsonObject)schema;
        if (s["enum"] is JsonArray options)
        {
            Assert.Contains(value?.ToJsonString() ?? "null", options.Select(x => x?.ToJsonString() ?? "null"));
            return;
        }
        var types = s["type"] switch
        {
            JsonArray a => a.Select(t => (string)t!).ToList(),
            JsonValue v => [(string)v!],
            _ => ["object", "array", "string", "number", "integer", "boolean", "null"],
        };
        string kind = value switch
        {
            null => "null",
            JsonObject => "object",
            JsonArray => "array",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => "string",
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString().IndexOfAny(['.', 'e', 'E']) < 0 ? "integer" : "number",
            _ => "boolean",
        };
        Assert.True(types.Contains(kind) || (kind == "integer" && types.Contains("number")), $"{path}: {kind} not in {string.Join("|", types)}");
        if (value is JsonObject obj && s["properties"] is JsonObject props)
        {
            foreach (var name in (s["required"] as JsonArray ?? []).Select(r => (string)r!)) Assert.True(obj.ContainsKey(name), $"{path}.{name} missing");
            foreach (var (key, v) in obj)
            {
                Assert.True(props.ContainsKey(key), $"{path}.{key} not declared");
                Validate(props[key]!, v, $"{path}.{key}");
            }
        }
        if (value is JsonArray arr)
        {
            if (s["minItems"] is { } min) Assert.True(arr.Count >= (int)min, $"{path}: {arr.Count} items");
            if (s["maxItems"] is { } max) Assert.True(arr.Count <= (int)max, $"{path}: {arr.Count} items");
            if (s["items"] is { } items) for (int i = 0; i < arr.Count; i++) Validate(items, arr[i], $"{path}[{i}]");
        }
    }
}
