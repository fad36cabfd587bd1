namespace TuneSharp.Tokenization.Models;

/// <summary>
/// HF's "WordPiece" model (BERT): greedy longest-match-first, pieces after the first carry the
/// continuing-subword prefix ("##"); a word with any unmatchable rest, or longer than
/// max_input_chars_per_word characters, becomes the single unk token.
/// </summary>
internal sealed class WordPieceModel : TokenizerModel
{
    readonly Dictionary<string, int> vocab;
    readonly int unkId, maxChars;
    readonly string prefix;

    WordPieceModel(Dictionary<string, int> vocab, int unkId, string prefix, int maxChars)
    {
        this.vocab = vocab;
        this.unkId = unkId;
        this.prefix = prefix;
        this.maxChars = maxChars;
    }

    public override IReadOnlyDictionary<string, int> Vocab => vocab;

    /// <summary>The continuing-subword prefix ("##").</summary>
    public string Prefix => prefix;

    public static WordPieceModel Read(JsonSection s)
    {
        var vocab = ReadVocab(s);
        var unk = s.OptString("unk_token") ?? "[UNK]";
        if (!vocab.TryGetValue(unk, out var unkId)) throw s.Error("unk_token", $"'{unk}' is not in model.vocab");
        return new WordPieceModel(vocab, unkId, s.OptString("continuing_subword_prefix") ?? "##",
            s.OptInt("max_input_chars_per_word") ?? 100);
    }

    public override void Tokenize(NormalizedText word, List<ModelToken> output)
    {
        var text = word.Text;
        if (text.Length == 0) return;
        var (ws, we) = word.OriginalRange(0, text.Length);
        if (text.EnumerateRunes().Count() > maxChars)
        {
            output.Add(new ModelToken(unkId, ws, we));
            return;
        }
        var pieces = new List<ModelToken>();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.Length, found = -1;
            while (end > start)
            {
                var sub = start > 0 ? prefix + text[start..end] : text[start..end];
                if (vocab.TryGetValue(sub, out found)) break;
                found = -1;
                end -= end - 1 > start && char.IsLowSurrogate(text[end - 1]) ? 2 : 1;
            }
            if (found < 0)
            {
                output.Add(new ModelToken(unkId, ws, we));
                return;
            }
            var (s, e) = word.OriginalRange(start, end);
            pieces.Add(new ModelToken(found, s, e));
            start = end;
        }
        output.AddRange(pieces);
    }
}
