using TuneSharp.Tokenization;

namespace TuneSharp.Generation;

/// <summary>
/// Turns a stream of token ids into text deltas that never split a character: text whose last UTF-8 sequence is
/// still incomplete (the decoder shows it as U+FFFD) is held back until a later token completes it. Each step
/// decodes a short window (the previous delta's tokens as context, then the new ones) and emits the difference,
/// the way text-generation-inference streams, so decoders that treat the first token specially stay right.
/// </summary>
public sealed class IncrementalDecoder
{
    readonly HfTokenizer tokenizer;
    readonly bool skipSpecialTokens;
    readonly List<int> ids = [];
    int prefixOffset;   // start of the context window
    int readOffset;     // end of the text already emitted

    /// <summary>A decoder for one sequence of new tokens.</summary>
    public IncrementalDecoder(HfTokenizer tokenizer, bool skipSpecialTokens = true)
    {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>Adds a token; returns the text it completes (possibly empty).</summary>
    public string Push(int id)
    {
        ids.Add(id);
        var (before, after) = Window();
        if (after.Length <= before.Length || after.EndsWith('\uFFFD')) return "";
        prefixOffset = readOffset;
        readOffset = ids.Count;
        return Delta(before, after);
    }

    /// <summary>The text still held back (an incomplete sequence at the end, shown as U+FFFD).</summary>
    public string Flush()
    {
        var (before, after) = Window();
        prefixOffset = readOffset = ids.Count;
        return after.Length > before.Length ? Delta(before, after) : "";
    }

    (string Before, string After) Window() => (
        tokenizer.Decode(ids.GetRange(prefixOffset, readOffset - prefixOffset), skipSpecialTokens),
        tokenizer.Decode(ids.GetRange(prefixOffset, ids.Count - prefixOffset), skipSpecialTokens));

    static string Delta(string before, string after) =>
        after.StartsWith(before, StringComparison.Ordinal) ? after[before.Length..] : after[Math.Min(before.Length, after.Length)..];
}
