using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

namespace TuneSharp.Tokenization.Models;

/// <summary>
/// HF's "BPE" model: starts from single characters and applies the lowest-ranked merge until none applies.
/// Written here rather than taken from Microsoft.ML.Tokenizers' BpeTokenizer: that class runs its own
/// pre-tokenizer, special-token and byte-level handling, and reports offsets in its own terms, while
/// this pipeline needs the merge step alone on words it has already cut and byte-mapped, with each
/// token's range in the caller's string; HF's ignore_merges and byte_fallback are handled as HF does.
/// </summary>
internal sealed class BpeModel : TokenizerModel
{
    readonly Dictionary<string, int> vocab;
    readonly string?[] tokens;
    readonly Dictionary<long, (int Rank, int Id)> merges;
    readonly string? unkToken, prefix, suffix;
    readonly bool fuseUnk, byteFallback, ignoreMerges;
    readonly ConcurrentDictionary<string, (int Id, int Start, int End)[]> cache = new(StringComparer.Ordinal);
    const int CacheCapacity = 100_000;

    BpeModel(Dictionary<string, int> vocab, Dictionary<long, (int, int)> merges, string? unkToken, string? prefix,
        string? suffix, bool fuseUnk, bool byteFallback, bool ignoreMerges)
    {
        this.vocab = vocab;
        this.merges = merges;
        this.unkToken = unkToken;
        this.prefix = prefix;
        this.suffix = suffix;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        tokens = new string?[vocab.Count == 0 ? 0 : vocab.Values.Max() + 1];
        foreach (var (t, id) in vocab) tokens[id] = t;
    }

    public override IReadOnlyDictionary<string, int> Vocab => vocab;

    public static BpeModel Read(JsonSection s)
    {
        var vocab = ReadVocab(s);
        var prefix = s.OptString("continuing_subword_prefix");
        var ranks = new Dictionary<long, (int, int)>();
        var list = s.Array("merges");
        for (int rank = 0; rank < list.Count; rank++)
        {
            var key = $"merges[{rank}]";
            // Two spellings: "a b" (tokenizers before 0.20) and ["a", "b"] (since).
            var (a, b) = list[rank] switch
            {
                JsonValue v when v.TryGetValue(out string? line) && line.IndexOf(' ') is var sp and > 0 => (line[..sp], line[(sp + 1)..]),
                JsonArray { Count: 2 } pair when pair[0] is JsonValue x && x.TryGetValue(out string? l)
                    && pair[1] is JsonValue y && y.TryGetValue(out string? r) => (l, r),
                _ => throw s.Error(key, "must be \"a b\" or [\"a\", \"b\"]"),
            };
            var merged = a + (prefix != null && b.StartsWith(prefix, StringComparison.Ordinal) ? b[prefix.Length..] : b);
            if (!vocab.TryGetValue(a, out var ia) || !vocab.TryGetValue(b, out var ib) || !vocab.TryGetValue(merged, out var im))
                throw s.Error(key, $"uses a token that is not in model.vocab ('{a}', '{b}' or '{merged}')");
            ranks.TryAdd(Key(ia, ib), (rank, im));
        }
        var unk = s.OptString("unk_token");
        if (unk != null && !vocab.ContainsKey(unk)) throw s.Error("unk_token", $"'{unk}' is not in model.vocab");
        return new BpeModel(vocab, ranks, unk, prefix, s.OptString("end_of_word_suffix"), s.Bool("fuse_unk", false),
            s.Bool("byte_fallback", false), s.Bool("ignore_merges", false));
    }

    static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    public override void Tokenize(NormalizedText word, List<ModelToken> output)
    {
        if (word.Length == 0) return;
        if (!cache.TryGetValue(word.Text, out var parts))
        {
            parts = Merge(word.Text);
            if (cache.Count < CacheCapacity) cache.TryAdd(word.Text, parts);
        }
        foreach (var (id, start, end) in parts)
        {
            var (s, e) = word.OriginalRange(start, end);
            output.Add(new ModelToken(id, s, e));
        }
    }

    (int Id, int Start, int End)[] Merge(string word)
    {
        if (ignoreMerges && vocab.TryGetValue(word, out var whole)) return [(whole, 0, word.Length)];
        var symbols = InitialSymbols(word);
        while (symbols.Count > 1)
        {
            int best = -1, bestRank = int.MaxValue, bestId = 0;
            for (int i = 0; i + 1 < symbols.Count; i++)
                if (merges.TryGetValue(Key(symbols[i].Id, symbols[i + 1].Id), out var m) && m.Rank < bestRank)
                    (best, bestRank, bestId) = (i, m.Rank, m.Id);
            if (best < 0) break;
            symbols[best] = (bestId, symbols[best].Start, symbols[best + 1].End);
            symbols.RemoveAt(best + 1);
        }
        return symbols.ToArray();
    }

    List<(int Id, int Start, int End)> InitialSymbols(string word)
    {
        var symbols = new List<(int Id, int Start, int End)>(word.Length);
        bool lastWasUnk = false;
        int i = 0;
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in word.EnumerateRunes())
        {
            int n = rune.Utf16SequenceLength;
            var text = rune.ToString();
            if (prefix != null && i > 0) text = prefix + text;
            if (suffix != null && i + n == word.Length) text += suffix;
            if (vocab.TryGetValue(text, out var id))
            {
                symbols.Add((id, i, i + n));
                lastWasUnk = false;
            }
            else if (byteFallback && ByteTokens(rune, utf8) is { } ids)
            {
                foreach (var b in ids) symbols.Add((b, i, i + n));
                lastWasUnk = false;
            }
            else if (unkToken != null)
            {
                if (fuseUnk && lastWasUnk) symbols[^1] = (symbols[^1].Id, symbols[^1].Start, i + n);
                else symbols.Add((vocab[unkToken], i, i + n));
                lastWasUnk = true;
            }
            // HF drops a character it cannot represent when the model has no unk token.
            i += n;
        }
        return symbols;
    }

    /// <summary>The &lt;0xXX&gt; tokens of a character's bytes, or null when one is missing (then unk applies).</summary>
    int[]? ByteTokens(Rune rune, Span<byte> utf8)
    {
        int count = rune.EncodeToUtf8(utf8);
        var ids = new int[count];
        for (int k = 0; k < count; k++)
            if (!vocab.TryGetValue($"<0x{utf8[k]:X2}>", out ids[k])) return null;
        return ids;
    }
}
