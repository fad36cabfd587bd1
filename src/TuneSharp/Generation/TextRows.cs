using TuneSharp.Tokenization;

namespace TuneSharp.Generation;

/// <summary>
/// The text side of a batch of generated rows, fed token by token by whichever loop decodes them (one batch in
/// lockstep, or the continuous batcher): incremental detokenization, stop strings, and the streamed deltas. The text
/// of a row is exactly the concatenation of its deltas.
/// </summary>
public sealed class TextRows
{
    readonly IncrementalDecoder[] decoders;
    readonly StopStringMatcher[] matchers;
    readonly Action<TextChunk>? onChunk;

    /// <summary>Rows of <paramref name="tokenizer"/>'s text under <paramref name="options"/>' stop strings; <paramref name="onChunk"/> gets each delta.</summary>
    public TextRows(HfTokenizer tokenizer, int rows, GenerationOptions options, Action<TextChunk>? onChunk)
    {
        decoders = Enumerable.Range(0, rows).Select(_ => new IncrementalDecoder(tokenizer)).ToArray();
        matchers = Enumerable.Range(0, rows).Select(_ => new StopStringMatcher(options.StopStrings)).ToArray();
        this.onChunk = onChunk;
    }

    /// <summary>Takes row <paramref name="row"/>'s next token; true when a stop string ended the row.</summary>
    public bool OnToken(int row, int id, TokenLogprob? logprob)
    {
        var (delta, stopped) = matchers[row].Append(decoders[row].Push(id));
        onChunk?.Invoke(new TextChunk(row, delta, id, logprob, null));
        return stopped;
    }

    /// <summary>Flushes each row (its final chunk carries the finish reason) and returns the finished outputs.</summary>
    public IReadOnlyList<CompletionOutput> Finish(IReadOnlyList<GenerationResult> results)
    {
        var outputs = new List<CompletionOutput>(results.Count);
        for (int row = 0; row < results.Count; row++)
        {
            var m = matchers[row];
            var tail = m.Stopped ? "" : m.Append(decoders[row].Flush()).Delta + m.Flush();
            var r = results[row];
            onChunk?.Invoke(new TextChunk(row, tail, null, null, r.FinishReason));
            outputs.Add(new CompletionOutput(row, m.Text, r.PromptIds, r.NewIds, r.Logprobs, r.FinishReason));
        }
        return outputs;
    }
}
