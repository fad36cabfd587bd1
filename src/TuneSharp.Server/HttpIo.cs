using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TuneSharp.Server;

/// <summary>Reading bounded JSON bodies and writing JSON, errors and server-sent events.</summary>
public static class HttpIo
{
    /// <summary>
    /// Reads the body (at most <paramref name="maxBytes"/>: more is a 413, whether announced by Content-Length or
    /// not) and parses it as a JSON object.
    /// </summary>
    public static async Task<JsonObject> ReadJsonAsync(HttpContext ctx, long maxBytes, CancellationToken cancel)
    {
        if (ctx.Request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return JsonFields.ParseObject(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    static ApiException TooLarge(long maxBytes) =>
        new(413, $"The request body is larger than this server accepts ({maxBytes} bytes, --max-body-bytes).", code: "request_too_large");

    /// <summary>Writes <paramref name="body"/> as application/json with <paramref name="status"/>.</summary>
    public static Task WriteJsonAsync(HttpContext ctx, int status, JsonNode body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
    }

    /// <summary>Writes OpenAI's error body.</summary>
    public static Task WriteErrorAsync(HttpContext ctx, ApiException e) => WriteJsonAsync(ctx, e.Status, e.ToJson());

    /// <summary>Starts a server-sent event stream.</summary>
    public static async Task StartEventsAsync(HttpContext ctx)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        await ctx.Response.StartAsync().ConfigureAwait(false);
    }

    /// <summary>Writes one <c>data: ...</c> event and flushes it to the client.</summary>
    public static async Task WriteEventAsync(HttpContext ctx, string data)
    {
        await ctx.Response.WriteAsync("data: " + data + "\n\n", Encoding.UTF8).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync().ConfigureAwait(false);
    }
}
