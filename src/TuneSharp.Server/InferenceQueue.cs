using System.Threading.Channels;
using TuneSharp.Generation.Continuous;

namespace TuneSharp.Server;

/// <summary>
/// The bounded queue in front of the model and the single worker thread that owns it: work items run one at a
/// time, in arrival order, on that thread (TorchSharp's no_grad and dispose scopes are per thread, and the model
/// must not be shared). A full queue refuses new work at once, which the server answers with 429. With a
/// <see cref="ContinuousBatcher"/>, generation items only hand their request to it, and between items the worker runs
/// the batcher's iterations; requests waiting in the batcher for a slot count as queued.
/// </summary>
public sealed class InferenceQueue : IDisposable
{
    readonly Channel<Item> channel;
    readonly Thread worker;
    readonly ContinuousBatcher? batcher;
    readonly int capacity;
    int depth;
    int busy;

    sealed record Item(Action<CancellationToken> Run, TaskCompletionSource Done, CancellationToken Cancel);

    /// <summary>A queue holding at most <paramref name="capacity"/> waiting items, whose worker also runs <paramref name="batcher"/> when given.</summary>
    public InferenceQueue(int capacity, ContinuousBatcher? batcher = null)
    {
        this.capacity = capacity;
        this.batcher = batcher;
        channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        worker = new Thread(Work) { IsBackground = true, Name = "tunesharp-inference" };
        worker.Start();
    }

    /// <summary>Items waiting (not counting the one running), and requests waiting in the batcher for a slot.</summary>
    public int Depth => Volatile.Read(ref depth) + (batcher?.Waiting ?? 0);

    /// <summary>Sequences the batcher is decoding (0 without one).</summary>
    public int Running => batcher?.Running ?? 0;

    /// <summary>True while an item runs or the batcher decodes.</summary>
    public bool Busy => Volatile.Read(ref busy) != 0 || Running > 0;

    /// <summary>
    /// Queues <paramref name="work"/>; false when the queue is full or closed. The returned task completes when the
    /// work has run (or faults with its exception); it is cancelled when <paramref name="cancel"/> fires before the work starts.
    /// </summary>
    public bool TryEnqueue(Action<CancellationToken> work, CancellationToken cancel, out Task done)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done = tcs.Task;
        if (Depth >= capacity) return false;
        Interlocked.Increment(ref depth);
        if (channel.Writer.TryWrite(new Item(work, tcs, cancel))) return true;
        Interlocked.Decrement(ref depth);
        return false;
    }

    /// <summary>Stops taking work; queued items still run. Waits up to <paramref name="timeout"/> for the worker to finish them.</summary>
    public void Close(TimeSpan timeout)
    {
        channel.Writer.TryComplete();
        worker.Join(timeout);
    }

    void Work()
    {
        // Blocking on the channel is fine: this thread does nothing else. With requests in the batcher it only
        // takes what is already queued, then runs one iteration, so that running streams get a token every step.
        while (true)
        {
            if (batcher is not { HasWork: true } && !channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) return;
            bool ranOther = false;
            if (channel.Reader.TryPeek(out _))
            {
                EndNoGc(); // each item opens its own region
                while (channel.Reader.TryRead(out var item)) ranOther |= Run(item);
            }
            if (batcher is not { HasWork: true }) continue;
            if (ranOther) batcher.RestoreModel();
            // One no-GC region spans many iterations (starting one may collect first, too slow to do every token); it
            // ends when the batch drains, before other work, or by itself once the budget is spent (then the next
            // iteration opens a new one).
            if (System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.NoGCRegion) TryStartNoGc();
            batcher.Step();
            if (!batcher.HasWork) EndNoGc();
        }
    }

    /// <summary>Runs one item; true when it ran (it may have used the model, e.g. switched adapters).</summary>
    bool Run(Item item)
    {
        Interlocked.Decrement(ref depth);
        if (item.Cancel.IsCancellationRequested) { item.Done.TrySetCanceled(item.Cancel); return false; }
        Volatile.Write(ref busy, 1);
        bool noGc = TryStartNoGc();
        try
        {
            item.Run(item.Cancel);
            item.Done.TrySetResult();
        }
        catch (OperationCanceledException) when (item.Cancel.IsCancellationRequested) { item.Done.TrySetCanceled(item.Cancel); }
        catch (Exception e) { item.Done.TrySetException(e); }
        finally
        {
            if (noGc) EndNoGc();
            Volatile.Write(ref busy, 0);
        }
        return true;
    }

    // Each item and each batcher iteration runs inside a no-GC region (while the budget lasts). TorchSharp passes libtorch Scalars it creates
    // for number operands (even the implicit alpha = 1 of every tensor addition) without keeping them alive, so a
    // collection started by a request thread can finalize one while libtorch still reads it: bench serve-abuse saw
    // 4 to 9 valid requests in 20,000 fail with "Expected false to be true" from Scalar::toFloat (TorchSharp PRs
    // #1434, #1496). With no collection during the item, no finalizer runs under libtorch; 0 failures in 100,000.
    // The budget is what request threads may allocate meanwhile; beyond it a collection happens as usual.
    const long NoGcBudget = 64L << 20;

    static bool TryStartNoGc()
    {
        try { return GC.TryStartNoGCRegion(NoGcBudget); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException) { return false; }
    }

    // The region may already have ended (its budget spent, a collection induced); this runs in the worker's finally,
    // where an exception would end the worker and with it the server.
    static void EndNoGc()
    {
        if (System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.NoGCRegion) return;
        try { GC.EndNoGCRegion(); }
        catch (InvalidOperationException) { }
    }

    public void Dispose() => Close(TimeSpan.FromSeconds(30));
}
