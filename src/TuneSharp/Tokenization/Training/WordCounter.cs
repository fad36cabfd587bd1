using System.Runtime.InteropServices;
using System.Text;
using TuneSharp.Tokenization.PreTokenizers;

namespace TuneSharp.Tokenization.Training;

/// <summary>
/// Counts the words of a corpus as HfTokenizer's ByteLevel pre-tokenizer (add_prefix_space=false, use_regex=true)
/// cuts them: GPT-2's regex, then each piece's UTF-8 bytes written in <see cref="ByteLevelAlphabet"/> characters.
/// Only the distinct words and their counts are kept, so memory follows the vocabulary of the text, not its length.
/// </summary>
internal sealed class WordCounter
{
    readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);
    readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    byte[] utf8 = new byte[256];
    char[] symbols = new char[256];

    public WordCounter() => bySpan = counts.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The distinct words (byte-level strings) and how often each was seen.</summary>
    public IReadOnlyDictionary<string, long> Counts => counts;

    /// <summary>Splits one text (one HF "sequence": regex matches never cross texts) and counts its words.</summary>
    public void Add(ReadOnlySpan<char> text)
    {
        int pos = 0;
        foreach (var m in ByteLevelPreTokenizer.Gpt2Pattern.EnumerateMatches(text))
        {
            if (m.Length == 0) continue;
            // The pattern covers every character, but a gap would still be a piece of its own (HF's Isolated split).
            if (m.Index > pos) AddWord(text[pos..m.Index]);
            AddWord(text.Slice(m.Index, m.Length));
            pos = m.Index + m.Length;
        }
        if (pos < text.Length) AddWord(text[pos..]);
    }

    /// <summary>Adds the counts of another counter (for counting slices of a corpus in parallel).</summary>
    public void AddAll(WordCounter other)
    {
        foreach (var (word, n) in other.counts) CollectionsMarshal.GetValueRefOrAddDefault(counts, word, out _) += n;
    }

    void AddWord(ReadOnlySpan<char> word)
    {
        // A lone surrogate becomes U+FFFD's bytes, as ByteLevelPreTokenizer's rune enumeration does.
        int max = Encoding.UTF8.GetMaxByteCount(word.Length);
        if (utf8.Length < max) { utf8 = new byte[max * 2]; symbols = new char[max * 2]; }
        int n = Encoding.UTF8.GetBytes(word, utf8);
        var map = ByteLevelAlphabet.ByteToChar;
        for (int i = 0; i < n; i++) symbols[i] = map[utf8[i]];
        var key = symbols.AsSpan(0, n);
        // The string is only allocated the first time a word is seen.
        CollectionsMarshal.GetValueRefOrAddDefault(bySpan, key, out _)++;
    }
}
