using System.Text.Json.Nodes;
using TuneSharp.Generation;
using TuneSharp.Generation.Constraints;

namespace TuneSharp.Server;

/// <summary>
/// OpenAI's <c>response_format</c>: <c>text</c> (free), <c>json_object</c> (any JSON object) or <c>json_schema</c>
/// (a document of the given schema), enforced by constrained decoding (<see cref="JsonConstraint"/>). A malformed or
/// unsupported schema is a 400 naming the schema path.
/// </summary>
public static class ResponseFormat
{
    /// <summary>The schema the output must match, or null for free text.</summary>
    public static JsonSchemaNode? Parse(JsonObject body)
    {
        if (body["response_format"] is not { } node) return null;
        if (node is not JsonObject format) throw ApiException.BadField("response_format", $"expected an object, got {JsonFields.Kind(node)}");
        var type = JsonFields.RequiredString(format, "type");
        switch (type)
        {
            case "text": return null;
            case "json_object": return JsonSchemaNode.AnyObject;
            case "json_schema":
                if (format["json_schema"] is not JsonObject spec) throw ApiException.BadField("response_format.json_schema", "required object is missing");
                JsonFields.RequiredString(spec, "name");
                if (spec["schema"] is not { } schema) throw ApiException.BadField("response_format.json_schema.schema", "required field is missing");
                try { return JsonSchemaNode.Parse(schema, "response_format.json_schema.schema"); }
                catch (UserError e) { throw new ApiException(400, e.Message, param: "response_format"); }
            default:
                throw ApiException.BadField("response_format.type", $"'{type}' is not text, json_object or json_schema");
        }
    }

    /// <summary>
    /// <paramref name="options"/> constrained to <paramref name="schema"/> (unchanged when null); 400 when the
    /// completion budget cannot hold the shortest document of the schema.
    /// </summary>
    public static GenerationOptions Apply(GenerationOptions options, JsonSchemaNode? schema, ServedModel model)
    {
        if (schema is null) return options;
        if (options.MaxNewTokens < schema.MinLength)
            throw ApiException.BadField("max_tokens", $"{options.MaxNewTokens} tokens cannot hold the shortest document of the response_format ({schema.MinLength} bytes)");
        var tokenizer = model.Tokenizer;
        var ends = model.CausalLM!.Info.EosTokenIds.Concat(options.StopTokenIds).ToHashSet();
        return options with { Constraint = () => new JsonConstraint(tokenizer, schema, ends) };
    }
}
