using System.Text;
using Microsoft.AspNetCore.Http;

namespace TuneSharp.Server.Dashboard;

/// <summary>
/// Server-Sent Events from a run's metrics.jsonl: every complete line already there, then each new one as training
/// appends it (the file size is polled; a partial last line waits for its newline). One event per line: "data: {json}".
/// </summary>
public static class MetricsTail
{
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static async Task StreamAsync(HttpContext ctx, string runDir, CancellationToken cancel)
    {
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        var path = Path.Combine(runDir, "metrics.jsonl");
        long offset = 0;
        var pending = new StringBuilder();
        await ctx.Response.WriteAsync(": tail\n\n", cancel).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
        while (!cancel.IsCancellationRequested)
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (stream.Length < offset) { offset = 0; pending.Clear(); } // rewritten from the start (a fresh run)
                if (stream.Length > offset)
                {
                    stream.Seek(offset, SeekOrigin.Begin);
                    var buffer = new byte[stream.Length - offset];
                    int read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancel).ConfigureAwait(false);
                    offset += read;
                    pending.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    await SendCompleteLinesAsync(ctx, pending, cancel).ConfigureAwait(false);
                }
            }
            await Task.Delay(Poll, cancel).ConfigureAwait(false);
        }
    }

    static async Task SendCompleteLinesAsync(HttpContext ctx, StringBuilder pending, CancellationToken cancel)
    {
        var text = pending.ToString();
        int end = text.LastIndexOf('\n');
        if (end < 0) return;
        pending.Remove(0, end + 1);
        foreach (var line in text[..end].Split('\n'))
            if (RunCatalog.MetricsLine(line.TrimEnd('\r')) is { } obj)
                await ctx.Response.WriteAsync("data: " + obj.ToJsonString() + "\n\n", cancel).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(cancel).ConfigureAwait(false);
    }
}
