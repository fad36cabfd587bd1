using System.Threading.Channels;

namespace TuneSharp.Server;

/// <summary>
/// The bounded queue in front of the model and the single worker thread that owns it: work items run one at a
/// time, in arrival order, on that thread (TorchSharp's no_grad and dispose scopes are per thread, and the model
/// must not be shared). A full queue refuses new work at once, which the server answers with 429.
/// </summary>
public sealed class InferenceQueue : IDisposable
{
    readonly Channel<Item> channel;
    readonly Thread worker;
    int depth;
    int busy;

    sealed record Item(Action<CancellationToken> Run, TaskCompletionSource Done, CancellationToken Cancel);

    /// <summary>A queue holding at most <paramref name="capacity"/> waiting items.</summary>
    public InferenceQueue(int capacity)
    {
        channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        worker = new Thread(Work) { IsBackground = true, Name = "tunesharp-inference" };
        worker.Start();
    }

    /// <summary>Items waiting (not counting the one running).</summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>True while an item runs.</summary>
    public bool Busy => Volatile.Read(ref busy) != 0;

    /// <summary>
    /// Queues <paramref name="work"/>; false when the queue is full or closed. The returned task completes when the
    /// work has run (or faults with its exception); it is cancelled when <paramref name="cancel"/> fires before the work starts.
    /// </summary>
    public bool TryEnqueue(Action<CancellationToken> work, CancellationToken cancel, out Task done)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done = tcs.Task;
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
        // Blocking on the channel is fine: this thread does nothing else.
        while (channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (channel.Reader.TryRead(out var item))
            {
                Interlocked.Decrement(ref depth);
                if (item.Cancel.IsCancellationRequested) { item.Done.TrySetCanceled(item.Cancel); continue; }
                Volatile.Write(ref busy, 1);
                try
                {
                    item.Run(item.Cancel);
                    item.Done.TrySetResult();
                }
                catch (OperationCanceledException) when (item.Cancel.IsCancellationRequested) { item.Done.TrySetCanceled(item.Cancel); }
                catch (Exception e) { item.Done.TrySetException(e); }
                finally { Volatile.Write(ref busy, 0); }
            }
    }

    public void Dispose() => Close(TimeSpan.FromSeconds(30));
}
