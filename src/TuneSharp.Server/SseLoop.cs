using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using TuneSharp.Generation;

namespace TuneSharp.Server;

/// <summary>Forwards streamed chunks to the client; a failure after the headers went out becomes an error event.</summary>
public static class SseLoop
{
    /// <summary>Writes every chunk with <paramref name="write"/>; returns the error sent to the client, or null.</summary>
    public static async Task<ApiException?> PumpAsync(HttpContext ctx, ServerContext server, ChannelReader<TextChunk> reader,
        CancellationToken cancel, Func<TextChunk, Task> write)
    {
        ApiException? error = null;
        try
        {
            await foreach (var chunk in reader.ReadAllAsync(cancel).ConfigureAwait(false)) await write(chunk).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { error = server.TimedOut(); }
        catch (UserError e) { error = new ApiException(400, e.Message); }
        catch (ApiException e) { error = e; }
        if (error is not null && !ctx.RequestAborted.IsCancellationRequested)
            await HttpIo.WriteEventAsync(ctx, error.ToJson().ToJsonString()).ConfigureAwait(false);
        return error;
    }
}
