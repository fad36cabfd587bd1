namespace TuneSharp.Tokenization.Models;

/// <summary>The "model" of tokenizer.json: turns one pre-tokenized word into tokens.</summary>
internal abstract class TokenizerModel
{
    /// <summary>Token text to id (the model's own vocabulary, without added tokens).</summary>
    public abstract IReadOnlyDictionary<string, int> Vocab { get; }

    /// <summary>Appends the tokens of <paramref name="word"/> to <paramref name="output"/>.</summary>
    public abstract void Tokenize(NormalizedText word, List<ModelToken> output);

    /// <summary>Builds the model of tokenizer.json's "model" section.</summary>
    public static TokenizerModel FromJson(JsonSection s)
    {
        // Old files have no "type" in the model; HF then guesses from the keys.
        if (!s.Has("type"))
            return s.Has("merges") ? BpeModel.Read(s) : s.Has("vocab") && s.Has("continuing_subword_prefix") ? WordPieceModel.Read(s)
                : throw s.Error("type", "is missing");
        return s.Type("BPE", "WordPiece") == "BPE" ? BpeModel.Read(s) : WordPieceModel.Read(s);
    }

    /// <summary>Reads "vocab": an object of token to id.</summary>
    /// <summary>How far ids may run past the entry count (gaps left by removed tokens); the table stays small.</summary>
    const int MaxIdGap = 1 << 20;

    protected static Dictionary<string, int> ReadVocab(JsonSection s)
    {
        var node = s.Object("vocab");
        var vocab = new Dictionary<string, int>(node.Node.Count, StringComparer.Ordinal);
        foreach (var (token, value) in node.Node)
        {
            int? id = value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out int i) ? i : null;
            vocab[token] = id is >= 0 ? id.Value : throw node.Error(token, "must be a non-negative integer id");
            // Ids index an id → token table: one far beyond the vocabulary would size it from a number, not the file.
            if (id >= node.Node.Count + MaxIdGap)
                throw node.Error(token, $"id {id} is far beyond the {node.Node.Count} entries of the vocabulary");
        }
        return vocab;
    }
}
