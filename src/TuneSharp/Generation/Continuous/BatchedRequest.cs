using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Generation.Continuous;

/// <summary>
/// One request to the continuous batcher: its prompts (one sequence each; ask for n samples of a prompt by repeating
/// it), the decoding options, and the model id it runs under (the base model or a LoRA adapter; only requests of one
/// id share the running batch). <see cref="Completion"/> ends with every sequence's result, or is cancelled by
/// <see cref="Cancel"/> (the sequences leave the batch at the next iteration), or faults.
/// </summary>
public sealed class BatchedRequest
{
    readonly TaskCompletionSource<IReadOnlyList<GenerationResult>> done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// A request; <paramref name="onToken"/>(row, token id, logprob or null) runs on the batcher's thread for every new
    /// token and returns true to stop that row (finish "stop"), as in <see cref="BatchGenerator.Generate"/>.
    /// </summary>
    public BatchedRequest(string model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options,
        Func<int, int, TokenLogprob?, bool>? onToken = null, CancellationToken cancel = default)
    {
        Model = model;
        Prompts = prompts;
        Options = options;
        OnToken = onToken;
        Cancel = cancel;
    }

    /// <summary>The model id (adapter) the request runs under.</summary>
    public string Model { get; }
    /// <summary>One prompt per sequence.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Prompts { get; }
    /// <summary>The decoding options of every sequence.</summary>
    public GenerationOptions Options { get; }
    /// <summary>Called for each new token on the batcher's thread.</summary>
    public Func<int, int, TokenLogprob?, bool>? OnToken { get; }
    /// <summary>Cancels the request (client gone, timeout).</summary>
    public CancellationToken Cancel { get; }

    /// <summary>Every sequence's result, in prompt order.</summary>
    public Task<IReadOnlyList<GenerationResult>> Completion => done.Task;

    internal long Order { get; set; }
    internal GeneratedRow[] Rows { get; set; } = [];
    internal Generator? Generator { get; set; }
    internal IReadOnlySet<int> StopIds { get; set; } = new HashSet<int>();

    internal bool AllFinished => Rows.All(r => r.Finish is not null);

    internal void Succeed()
    {
        Generator?.Dispose();
        done.TrySetResult(Rows.Select(r => r.Result()).ToList());
    }

    internal void Fail(Exception error)
    {
        Generator?.Dispose();
        if (error is OperationCanceledException && Cancel.IsCancellationRequested) done.TrySetCanceled(Cancel);
        else done.TrySetException(error);
    }
}
