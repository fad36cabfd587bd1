using System.Text.Json.Nodes;

namespace TuneSharp.Server;

/// <summary>
/// A request the server refuses, answered with OpenAI's error body
/// <c>{"error": {"message", "type", "param", "code"}}</c> and <see cref="Status"/>.
/// </summary>
public sealed class ApiException(int status, string message, string type = "invalid_request_error", string? param = null, string? code = null)
    : Exception(message)
{
    /// <summary>HTTP status code.</summary>
    public int Status { get; } = status;
    /// <summary>OpenAI's error type (invalid_request_error, authentication_error, ...).</summary>
    public string Type { get; } = type;
    /// <summary>The request field at fault, if any.</summary>
    public string? Param { get; } = param;
    /// <summary>A machine-readable code (model_not_found, context_length_exceeded, ...).</summary>
    public string? Code { get; } = code;

    /// <summary>A 400 naming the field at fault.</summary>
    public static ApiException BadField(string param, string message) => new(400, $"{param}: {message}", param: param);

    /// <summary>The error body.</summary>
    public JsonObject ToJson() => Body(Message, Type, Param, Code);

    /// <summary>OpenAI's error body.</summary>
    public static JsonObject Body(string message, string type, string? param, string? code) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
    };
}
