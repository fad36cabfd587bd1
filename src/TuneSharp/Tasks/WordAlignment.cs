using TuneSharp.Tokenization;

namespace TuneSharp.Tasks;

/// <summary>
/// Sub-word tokens of a pre-split sentence, each mapped to its word. The words are joined by single spaces and
/// encoded once (as the model will see running text), then each token is assigned by character offset: to the
/// word holding its first non-space character. This is right for byte-level BPE, whose tokens carry the leading
/// space ("Ġworld" covers " world"), whether or not the tokenizer trims offsets. A token made only of spaces (a
/// bare "Ġ" that BPE could not merge into the word, common with small vocabularies) belongs to the word that
/// follows it but is never the word's labelled first token: the first token holding one of the word's characters
/// is. (transformers' word_ids() would label the bare "Ġ", which carries nothing of the word, and which a causal
/// decoder reads before it has seen the word.) Special tokens (empty offsets, e.g. [CLS]) belong to no word.
/// Encoding word by word would give the same ids for GPT-2-style pre-tokenizers but differ for tokenizers that
/// merge across words, so the joined text is the safer choice.
/// </summary>
/// <param name="Ids">Token ids (special tokens included), truncated to the maximum length.</param>
/// <param name="WordOf">For each token, its word index, or -1 for special tokens.</param>
/// <param name="FirstToken">For each word, the index of its first token holding one of its characters (the labelled one), or -1 when truncation removed it.</param>
public sealed record WordAlignment(int[] Ids, int[] WordOf, int[] FirstToken)
{
    /// <summary>Encodes <paramref name="words"/> (non-empty, no whitespace inside) with truncation to <paramref name="maxLength"/>.</summary>
    public static WordAlignment Align(HfTokenizer tokenizer, IReadOnlyList<string> words, int maxLength)
    {
        var text = string.Join(" ", words);
        var starts = new int[words.Count];                      // character start of each word in text
        for (int w = 0, at = 0; w < words.Count; at += words[w].Length + 1, w++) starts[w] = at;
        var enc = tokenizer.EncodeBatch([text], new EncodeOptions { Padding = Tokenization.Padding.None, Truncation = true, MaxLength = maxLength });
        var ids = enc.InputIds[0];
        var offsets = enc.Offsets[0];
        var wordOf = new int[ids.Length];
        var first = Enumerable.Repeat(-1, words.Count).ToArray();
        for (int t = 0; t < ids.Length; t++)
        {
            var (s, e) = offsets[t];
            wordOf[t] = -1;
            if (s >= e) continue;                                // special token
            int c = s;
            while (c < e && char.IsWhiteSpace(text[c])) c++;     // skip the leading space of "Ġword"
            if (c >= text.Length) continue;
            int w = Array.BinarySearch(starts, c);
            if (w < 0) w = ~w - 1;                               // the last word starting at or before c
            if (w < 0) continue;
            wordOf[t] = w;
            if (first[w] < 0 && c < e) first[w] = t;             // c == e: whitespace only, not the labelled token
        }
        return new WordAlignment(ids, wordOf, first);
    }

    /// <summary>Token labels: the word's tag index on its first sub-token, -100 on later sub-tokens and special tokens.</summary>
    public int[] Labels(IReadOnlyList<int> wordTags)
    {
        var labels = Enumerable.Repeat((int)Models.CausalLMLoss.IgnoreIndex, Ids.Length).ToArray();
        for (int w = 0; w < FirstToken.Length; w++)
            if (FirstToken[w] >= 0) labels[FirstToken[w]] = wordTags[w];
        return labels;
    }
}
