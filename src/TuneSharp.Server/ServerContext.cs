using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using TuneSharp.Generation;
using TuneSharp.Generation.Continuous;

namespace TuneSharp.Server;

/// <summary>What every route needs: the model, the queue in front of it, metrics and limits.</summary>
public sealed class ServerContext(ServedModel model, InferenceQueue queue, ServerMetrics metrics, ServeOptions options,
    ContinuousBatcher? batcher = null)
{
    /// <summary>The continuous batcher generation goes through, or null (one request at a time, or no causal LM).</summary>
    public ContinuousBatcher? Batcher { get; } = batcher;

    /// <summary>The loaded model.</summary>
    public ServedModel Model { get; } = model;
    /// <summary>The bounded queue and its worker.</summary>
    public InferenceQueue Queue { get; } = queue;
    /// <summary>Prometheus metrics.</summary>
    public ServerMetrics Metrics { get; } = metrics;
    /// <summary>Limits and settings.</summary>
    public ServeOptions Options { get; } = options;

    /// <summary>
    /// A token for one request: the client going away, <see cref="ServeOptions.Timeout"/>, or the handler ending (disposal)
    /// cancels it. The last matters for streams: a write to a client that hung up can end the handler before Kestrel
    /// reports the abort, and the generation must not outlive its request (its batch slot is freed at the next step).
    /// </summary>
    public CancellationTokenSource RequestCancellation(HttpContext ctx) => new CancelledOnDispose(ctx.RequestAborted, Options.Timeout);

    sealed class CancelledOnDispose : CancellationTokenSource
    {
        readonly CancellationTokenRegistration link;

        public CancelledOnDispose(CancellationToken aborted, TimeSpan timeout)
        {
            link = aborted.Register(static s => ((CancellationTokenSource)s!).Cancel(), this);
            CancelAfter(timeout);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                link.Dispose();
                Cancel();
            }
            base.Dispose(disposing);
        }
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
    /// Generates completions of <paramref name="prompts"/> under <paramref name="model"/> (base or adapter):
    /// through the continuous batcher when there is one, else as one work item. <paramref name="onChunk"/> gets each
    /// streamed delta. 429 when the queue is full, 408 on timeout.
    /// </summary>
    public async Task<IReadOnlyList<CompletionOutput>> CompleteAsync(string model, IReadOnlyList<IReadOnlyList<int>> prompts,
        GenerationOptions options, CancellationToken cancel, Action<TextChunk>? onChunk = null)
    {
        if (Batcher is null) return await RunAsync(c => Model.Complete(model, prompts, options, onChunk, c), cancel).ConfigureAwait(false);
        var (request, rows, admitted) = Submit(model, prompts, options, onChunk, cancel);
        try
        {
            await admitted.WaitAsync(cancel).ConfigureAwait(false);
            return rows.Finish(await request.Completion.WaitAsync(cancel).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested) { throw TimedOut(); }
    }

    /// <summary>
    /// Starts a streamed generation: chunks arrive in the returned channel, which completes (or faults) when
    /// generation ends. 429 when the queue is full.
    /// </summary>
    public ChannelReader<TextChunk> Stream(string model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, CancellationToken cancel)
    {
        var channel = TextCompletion.NewChannel();
        if (Batcher is null)
        {
            bool queued = Queue.TryEnqueue(c => TextCompletion.Pump(channel.Writer, onChunk => Model.Complete(model, prompts, options, onChunk, c)), cancel, out _);
            if (!queued) throw QueueFull();
            return channel.Reader;
        }
        var (request, rows, admitted) = Submit(model, prompts, options, chunk => channel.Writer.TryWrite(chunk), cancel);
        _ = FinishStreamAsync(admitted, request, rows, channel.Writer);
        return channel.Reader;
    }

    /// <summary>Checks a request here (a 400 before anything is sent) and hands it to the batcher on the worker; 429 when the queue is full.</summary>
    (BatchedRequest Request, TextRows Rows, Task Admitted) Submit(string model, IReadOnlyList<IReadOnlyList<int>> prompts,
        GenerationOptions options, Action<TextChunk>? onChunk, CancellationToken cancel)
    {
        var rows = new TextRows(Model.Tokenizer, prompts.Count, options, onChunk);
        var request = new BatchedRequest(model, prompts, options, rows.OnToken, cancel);
        Batcher!.Check(request);
        // The adapter is only switched by the batcher, when its batch is empty; the worker runs Add.
        if (!Queue.TryEnqueue(_ => Batcher.Add(request), cancel, out var admitted)) throw QueueFull();
        return (request, rows, admitted);
    }

    static async Task FinishStreamAsync(Task admitted, BatchedRequest request, TextRows rows, ChannelWriter<TextChunk> writer)
    {
        try
        {
            await admitted.ConfigureAwait(false);
            rows.Finish(await request.Completion.ConfigureAwait(false));
            writer.TryComplete();
        }
        catch (Exception e) { writer.TryComplete(e); }
    }

    /// <summary>The 429 answer.</summary>
    public ApiException QueueFull() => new(429, $"The server is busy: {Options.MaxQueue} requests are already waiting. Retry later.",
        type: "rate_limit_error", code: "queue_full");

    /// <summary>The timeout answer.</summary>
    public ApiException TimedOut() => new(408, $"The request did not finish within {Options.Timeout.TotalSeconds:0.#} s (--timeout-s).",
        type: "timeout_error", code: "timeout");
}
