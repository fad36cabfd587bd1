using System.Runtime.CompilerServices;
using System.Threading.Channels;
using TuneSharp.Models;
using TuneSharp.Tokenization;

namespace TuneSharp.Generation;

/// <summary>
/// A piece of streamed output for row <paramref name="Index"/>: new text (never a split character nor any part of
/// a stop string), the token that produced it (null on the final chunk), its log-probability when asked for, and
/// the finish reason on the row's last chunk ("stop" or "length").
/// </summary>
public sealed record TextChunk(int Index, string Delta, int? TokenId, TokenLogprob? Logprob, string? FinishReason);

/// <summary>One finished row: its text (cut before a stop string), the new token ids, their logprobs and why it ended.</summary>
public sealed record CompletionOutput(int Index, string Text, IReadOnlyList<int> PromptIds, IReadOnlyList<int> TokenIds,
    IReadOnlyList<TokenLogprob>? Logprobs, string FinishReason);

/// <summary>
/// Text generation on top of <see cref="BatchGenerator"/>: detokenizes incrementally, applies stop strings and
/// streams deltas. The text of a row is exactly the concatenation of its streamed deltas.
/// </summary>
public static class TextCompletion
{
    /// <summary>
    /// Completes every prompt in one batch. <paramref name="onChunk"/> receives each delta as it is produced (on this
    /// thread), then one final chunk per row with its finish reason.
    /// </summary>
    public static IReadOnlyList<CompletionOutput> Complete(ICausalLM model, HfTokenizer tokenizer,
        IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, Action<TextChunk>? onChunk = null,
        CancellationToken cancel = default)
    {
        var rows = new TextRows(tokenizer, prompts.Count, options, onChunk);
        return rows.Finish(BatchGenerator.Generate(model, prompts, options, rows.OnToken, cancel));
    }

    /// <summary>
    /// <see cref="Complete"/> as an async stream: generation runs on a worker thread (the model must not be used
    /// elsewhere meanwhile) and chunks arrive as they are produced. Errors surface when enumerating. A reader that
    /// stops early stops the generation, and disposing the enumerator returns only once the model is free again.
    /// </summary>
    public static async IAsyncEnumerable<TextChunk> Stream(ICausalLM model, HfTokenizer tokenizer,
        IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var channel = NewChannel();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var run = Task.Run(() =>
        {
            try { Pump(channel.Writer, onChunk => Complete(model, tokenizer, prompts, options, onChunk, stop.Token)); }
            catch (Exception) { /* the channel carries the error to the reader */ }
        }, CancellationToken.None);
        try
        {
            await foreach (var chunk in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return chunk;
        }
        finally
        {
            // After a complete read this cancels nothing; after an early stop it ends generation at the next token.
            await stop.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
        }
    }

    /// <summary>A channel for one completion's chunks (one writer: the generating thread; one reader).</summary>
    public static Channel<TextChunk> NewChannel() =>
        Channel.CreateUnbounded<TextChunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>
    /// Runs <paramref name="complete"/> with a chunk callback that writes to <paramref name="writer"/>, then completes
    /// the channel: normally, or with the error, which is also rethrown to the caller.
    /// </summary>
    public static void Pump(ChannelWriter<TextChunk> writer, Action<Action<TextChunk>> complete)
    {
        try
        {
            complete(chunk => writer.TryWrite(chunk));
            writer.TryComplete();
        }
        catch (Exception e) { writer.TryComplete(e); throw; }
    }
}
