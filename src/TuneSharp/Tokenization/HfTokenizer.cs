using System.Text.Json.Nodes;
using TuneSharp.Tokenization.Decoders;
using TuneSharp.Tokenization.Models;
using TuneSharp.Tokenization.Normalizers;
using TuneSharp.Tokenization.PostProcessors;
using TuneSharp.Tokenization.PreTokenizers;

namespace TuneSharp.Tokenization;

/// <summary>
/// A Hugging Face fast tokenizer read from tokenizer.json (+ tokenizer_config.json): byte-level BPE
/// (GPT-2, Llama-3, Qwen2) and WordPiece (BERT), with added/special tokens, padding, truncation,
/// character offsets and decoding, giving the same ids as Hugging Face. Encoding is thread-safe;
/// <see cref="AddTokens"/> must not run while other threads encode.
/// </summary>
public sealed partial class HfTokenizer
{
    readonly TokenizerModel model;
    readonly Normalizer? normalizer;
    readonly PreTokenizer? preTokenizer;
    readonly PostProcessor? postProcessor;
    readonly Decoder? decoder;
    readonly TokenizerConfig config;
    readonly JsonObject tokenizerJson;
    readonly JsonObject? configJson;
    readonly bool chatTemplateFromFile;
    readonly List<AddedToken> addedTokens = new();
    readonly Dictionary<int, AddedToken> addedById = new();
    readonly Dictionary<string, AddedToken> addedByContent = new(StringComparer.Ordinal);
    readonly Dictionary<int, string> modelTokens = new();
    readonly int modelIdCount;
    AddedTokenMatcher rawMatcher = new([]), normalizedMatcher = new([]);

    HfTokenizer(JsonSection json, JsonSection? configSection, string? chatTemplateFile)
    {
        tokenizerJson = json.Node;
        configJson = configSection?.Node;
        config = configSection is { } c ? TokenizerConfig.FromJson(c) : TokenizerConfig.Empty;
        if (chatTemplateFile != null) config = config with { ChatTemplate = chatTemplateFile };
        chatTemplateFromFile = chatTemplateFile != null;

        model = TokenizerModel.FromJson(json.Object("model"));
        foreach (var (token, id) in model.Vocab) modelTokens[id] = token;
        modelIdCount = modelTokens.Count == 0 ? 0 : modelTokens.Keys.Max() + 1;
        normalizer = Normalizer.FromJson(json.OptObject("normalizer"));
        preTokenizer = PreTokenizer.FromJson(json.OptObject("pre_tokenizer"));
        decoder = Decoder.FromJson(json.OptObject("decoder"));
        if (json.Has("added_tokens"))
            foreach (var entry in json.Objects("added_tokens")) Register(AddedToken.FromJson(entry));
        RebuildMatchers();
        // After the added tokens: templates may name them.
        postProcessor = PostProcessor.FromJson(json.OptObject("post_processor"), TokenToId);
    }

    /// <summary>Number of token ids (model vocabulary and added tokens): the embedding rows a model needs.</summary>
    public int VocabSize => Math.Max(modelIdCount, addedTokens.Count == 0 ? 0 : addedTokens[^1].Id + 1);

    /// <summary>The padding token (tokenizer_config.json "pad_token"), or null.</summary>
    public string? PadToken => config.PadToken;

    /// <summary>The end-of-sequence token (tokenizer_config.json "eos_token"), or null.</summary>
    public string? EosToken => config.EosToken;

    /// <summary>The beginning-of-sequence token (tokenizer_config.json "bos_token"), or null.</summary>
    public string? BosToken => config.BosToken;

    /// <summary>Id of <see cref="PadToken"/>, or null.</summary>
    public int? PadTokenId => config.PadToken is { } t ? TokenToId(t) : null;

    /// <summary>Id of <see cref="EosToken"/>, or null.</summary>
    public int? EosTokenId => config.EosToken is { } t ? TokenToId(t) : null;

    /// <summary>Id of <see cref="BosToken"/>, or null.</summary>
    public int? BosTokenId => config.BosToken is { } t ? TokenToId(t) : null;

    /// <summary>Id of the unknown token (tokenizer_config.json "unk_token", else the model's), or null.</summary>
    public int? UnkTokenId => (config.UnkToken ?? tokenizerJson["model"]?["unk_token"]?.GetValue<string>()) is { } t ? TokenToId(t) : null;

    /// <summary>The Jinja chat template (chat_template.jinja, else tokenizer_config.json "chat_template"), or null.</summary>
    public string? ChatTemplate => config.ChatTemplate;

    /// <summary>tokenizer_config.json "model_max_length" (int.MaxValue when absent or larger).</summary>
    public int ModelMaxLength => config.ModelMaxLength;

    /// <summary>The added tokens (tokenizer.json "added_tokens" and those from <see cref="AddTokens"/>), by id.</summary>
    public IReadOnlyList<AddedToken> AddedTokens => addedTokens;

    /// <summary>The id of a token (added tokens first, then the model vocabulary), or null.</summary>
    public int? TokenToId(string token) =>
        addedByContent.TryGetValue(token, out var added) ? added.Id : model.Vocab.TryGetValue(token, out var id) ? id : null;

    /// <summary>The text of a token id as stored in the vocabulary (byte-level form, e.g. "Ġthe"), or null.</summary>
    public string? IdToToken(int id) =>
        addedById.TryGetValue(id, out var added) ? added.Content : modelTokens.GetValueOrDefault(id);

    /// <summary>Whether the id is a special added token (dropped by <c>Decode(skipSpecialTokens: true)</c>).</summary>
    public bool IsSpecial(int id) => addedById.TryGetValue(id, out var t) && t.Special;

    /// <summary>
    /// Adds tokens that are matched whole before the model splits text. Unknown ones get the next free
    /// ids; a token already in the vocabulary keeps its id. Returns how many new ids were created
    /// (resize the embeddings to <see cref="VocabSize"/> after).
    /// </summary>
    public int AddTokens(IEnumerable<string> tokens, bool special)
    {
        int created = 0;
        foreach (var content in tokens)
        {
            if (string.IsNullOrEmpty(content) || addedByContent.ContainsKey(content)) continue;
            int id;
            if (model.Vocab.TryGetValue(content, out var existing)) id = existing;
            else { id = VocabSize; created++; }
            Register(new AddedToken(id, content, Normalized: !special, Special: special));
        }
        RebuildMatchers();
        return created;
    }

    void Register(AddedToken token)
    {
        if (addedById.TryGetValue(token.Id, out var old))
        {
            addedTokens.Remove(old);
            addedByContent.Remove(old.Content);
        }
        addedTokens.Add(token);
        addedTokens.Sort((a, b) => a.Id.CompareTo(b.Id));
        addedById[token.Id] = token;
        addedByContent[token.Content] = token;
    }

    void RebuildMatchers()
    {
        rawMatcher = new AddedTokenMatcher(addedTokens.Where(t => !t.Normalized).Select(t => (t.Content, t)));
        normalizedMatcher = new AddedTokenMatcher(addedTokens.Where(t => t.Normalized)
            .Select(t => (normalizer?.Normalize(t.Content) ?? t.Content, t)));
    }

    /// <summary>Encodes text to ids, with the post-processor's special tokens (e.g. BOS) when asked.</summary>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true) => EncodeWithOffsets(text, addSpecialTokens).Ids;

    /// <summary>Encodes text to ids with each token's character range in <paramref name="text"/>.</summary>
    public TokenizedText EncodeWithOffsets(string text, bool addSpecialTokens = true) => Encode(text, null, addSpecialTokens, null, Side.Right);

    /// <summary>Encodes a text pair (e.g. question and passage): "[CLS] a [SEP] b [SEP]" with type ids 0 then 1 for BERT.</summary>
    public TokenizedText EncodePair(string text, string pair, bool addSpecialTokens = true) => Encode(text, pair, addSpecialTokens, null, Side.Right);

    /// <summary>The full pipeline: added tokens, normalizer, pre-tokenizer, model, truncation, post-processor.</summary>
    TokenizedText Encode(string text, string? pair, bool addSpecialTokens, int? maxLength, Side truncationSide)
    {
        var a = EncodeSequence(text);
        var b = pair != null ? EncodeSequence(pair) : null;
        if (maxLength is int max)
            Truncate(a, b, Math.Max(0, max - (addSpecialTokens ? postProcessor?.AddedCount(b != null) ?? 0 : 0)), truncationSide);
        var all = postProcessor?.Join(a, b, addSpecialTokens) ?? PostProcessor.Concat(a, b);
        return new TokenizedText(all.Select(t => t.Id).ToArray(), all.Select(t => (t.Start, t.End)).ToArray(),
            all.Select(t => t.TypeId).ToArray());
    }

    List<ModelToken> EncodeSequence(string text)
    {
        var output = new List<ModelToken>();
        foreach (var part in rawMatcher.Split(NormalizedText.FromOriginal(text)))
        {
            if (AddToken(part, output)) continue;
            var normalized = normalizer?.Normalize(part.Text) ?? part.Text;
            foreach (var inner in normalizedMatcher.Split(normalized))
            {
                if (AddToken(inner, output)) continue;
                if (preTokenizer == null) model.Tokenize(inner.Text, output);
                else
                    foreach (var word in preTokenizer.Split(inner.Text)) model.Tokenize(word, output);
            }
        }
        postProcessor?.AdjustOffsets(output, IdToToken);
        return output;
    }

    static bool AddToken(AddedTokenMatcher.Part part, List<ModelToken> output)
    {
        if (part.Token == null) return false;
        var (start, end) = part.Text.OriginalRange(0, part.Text.Length);
        output.Add(new ModelToken(part.Token.Id, start, end));
        return true;
    }

    /// <summary>
    /// Cuts to <paramref name="budget"/> tokens. A pair follows HF's longest_first lengths: the shorter
    /// sequence keeps what it can up to half, the longer gets the rest (the odd token too).
    /// </summary>
    static void Truncate(List<ModelToken> a, List<ModelToken>? b, int budget, Side side)
    {
        static void Cut(List<ModelToken> seq, int keep, Side side)
        {
            if (seq.Count > keep) seq.RemoveRange(side == Side.Right ? keep : 0, seq.Count - keep);
        }
        if (b == null) { Cut(a, budget, side); return; }
        if (a.Count + b.Count <= budget) return;
        int n1 = a.Count, n2 = b.Count;
        bool swap = n1 > n2;
        if (swap) (n1, n2) = (n2, n1);
        n2 = n1 > budget ? n1 : Math.Max(n1, budget - n1);
        if (n1 + n2 > budget) { n1 = budget / 2; n2 = n1 + budget % 2; }
        if (swap) (n1, n2) = (n2, n1);
        Cut(a, n1, side);
        Cut(b, n2, side);
    }

    /// <summary>
    /// Turns ids back into text through the decoder (ByteLevel: bytes to UTF-8 with U+FFFD for invalid
    /// sequences; WordPiece: "##" pieces joined). Unknown ids are skipped.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            if (skipSpecialTokens && IsSpecial(id)) continue;
            if (IdToToken(id) is { } token) tokens.Add(token);
        }
        var text = decoder?.Decode(tokens) ?? string.Join(" ", tokens);
        return config.CleanUpTokenizationSpaces ? WordPieceDecoder.Cleanup(text) : text;
    }
}
