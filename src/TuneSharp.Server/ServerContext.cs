using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using TuneSharp.Generation;

namespace TuneSharp.Server;

/// <summary>What every route needs: the model, the queue in front of it, metrics and limits.</summary>
public sealed class ServerContext(ServedModel model, InferenceQueue queue, ServerMetrics metrics, ServeOptions options)
{
    /// <summary>The loaded model.</summary>
    public ServedModel Model { get; } = model;
    /// <summary>The bounded queue and its worker.</summary>
    public InferenceQueue Queue { get; } = queue;
    /// <summary>Prometheus metrics.</summary>
    public ServerMetrics Metrics { get; } = metrics;
    /// <summary>Limits and settings.</summary>
    public ServeOptions Options { get; } = options;

    /// <summary>A token for one request: the client going away or <see cref="ServeOptions.Timeout"/> cancels it.</summary>
    public CancellationTokenSource RequestCancellation(HttpContext ctx)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        cts.CancelAfter(Options.Timeout);
        return cts;
    }

    /// <summary>404 unless <paramref name="model"/> is the base model or an adapter.</summary>
    public void RequireModel(string model)
    {
        if (!Model.ModelIds.Contains(model, StringComparer.Ordinal))
            throw new ApiException(404, $"The model `{model}` does not exist. This server serves: {string.Join(", ", Model.ModelIds)}.",
                param: "model", code: "model_not_found");
    }

    /// <summary>Runs <paramref name="work"/> on the model's worker; 429 when the queue is full, 408 on timeout.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken cancel)
    {
        T result = default!;
        if (!Queue.TryEnqueue(c => result = work(c), cancel, out var done)) throw QueueFull();
        try { await done.WaitAsync(cancel).ConfigureAwait(false); }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { throw TimedOut(); }
        return result;
    }

    /// <summary>
    /// Starts a streamed generation on the worker: chunks arrive in the returned channel, which completes (or faults)
    /// when generation ends. 429 when the queue is full.
    /// </summary>
    public ChannelReader<TextChunk> Stream(string model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, CancellationToken cancel)
    {
        var channel = TextCompletion.NewChannel();
        bool queued = Queue.TryEnqueue(c => TextCompletion.Pump(channel.Writer, onChunk => Model.Complete(model, prompts, options, onChunk, c)), cancel, out _);
        if (!queued) throw QueueFull();
        return channel.Reader;
    }

    /// <summary>The 429 answer.</summary>
    public ApiException QueueFull() => new(429, $"The server is busy: {Options.MaxQueue} requests are already waiting. Retry later.",
        type: "rate_limit_error", code: "queue_full");

    /// <summary>The timeout answer.</summary>
    public ApiException TimedOut() => new(408, $"The request did not finish within {Options.Timeout.TotalSeconds:0.#} s (--timeout-s).",
        type: "timeout_error", code: "timeout");
}
