using System.Text.Json.Nodes;

namespace TuneSharp.Models.Import;

/// <summary>
/// The tokenizer files of an uncased BERT (HF's BertTokenizerFast layout) built from a WordPiece <c>vocab.txt</c>:
/// BertNormalizer (clean text, CJK characters split, lower-case, accents stripped with lower-casing), BertPreTokenizer
/// (whitespace and punctuation), WordPiece with "##" continuations, and the [CLS] A [SEP] (B [SEP]) template.
/// </summary>
public static class WordPieceFiles
{
    static readonly string[] Specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>Token → id from vocab.txt (one token a line, id = line index); errors name the line.</summary>
    public static Dictionary<string, int> ReadVocab(byte[] vocabTxt, string source)
    {
        string text;
        try { text = new System.Text.UTF8Encoding(false, true).GetString(vocabTxt); }
        catch (System.Text.DecoderFallbackException) { throw new UserError($"{source}: vocab.txt is not valid UTF-8"); }
        var lines = text.Split('\n');
        int count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        var vocab = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            var token = lines[i].TrimEnd('\r');
            if (token.Length == 0) throw new UserError($"{source}: vocab.txt:{i + 1}: empty token");
            if (!vocab.TryAdd(token, i)) throw new UserError($"{source}: vocab.txt:{i + 1}: token '{token}' appears twice (first at line {vocab[token] + 1})");
        }
        foreach (var s in Specials)
            if (!vocab.ContainsKey(s)) throw new UserError($"{source}: vocab.txt has no '{s}' token, so it is not a BERT vocabulary");
        return vocab;
    }

    /// <summary>tokenizer.json for <paramref name="vocab"/>.</summary>
    public static JsonObject TokenizerJson(Dictionary<string, int> vocab)
    {
        JsonObject Special(string token) => new()
        {
            ["id"] = vocab[token], ["content"] = token, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = true,
        };
        JsonObject Piece(string kind, string id, int typeId) => new() { [kind] = new JsonObject { ["id"] = id, ["type_id"] = typeId } };
        JsonObject TemplateSpecial(string token) => new()
        {
            ["id"] = token, ["ids"] = new JsonArray(vocab[token]), ["tokens"] = new JsonArray(token),
        };
        var vocabJson = new JsonObject();
        foreach (var (token, id) in vocab.OrderBy(p => p.Value)) vocabJson[token] = id;
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(Specials.OrderBy(s => vocab[s]).Select(s => (JsonNode)Special(s)).ToArray()),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = true, ["strip_accents"] = null, ["lowercase"] = true,
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "BertPreTokenizer" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "TemplateProcessing",
                ["single"] = new JsonArray(Piece("SpecialToken", "[CLS]", 0), Piece("Sequence", "A", 0), Piece("SpecialToken", "[SEP]", 0)),
                ["pair"] = new JsonArray(Piece("SpecialToken", "[CLS]", 0), Piece("Sequence", "A", 0), Piece("SpecialToken", "[SEP]", 0),
                    Piece("Sequence", "B", 1), Piece("SpecialToken", "[SEP]", 1)),
                ["special_tokens"] = new JsonObject { ["[CLS]"] = TemplateSpecial("[CLS]"), ["[SEP]"] = TemplateSpecial("[SEP]") },
            },
            ["decoder"] = new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "WordPiece", ["unk_token"] = "[UNK]", ["continuing_subword_prefix"] = "##", ["max_input_chars_per_word"] = 100,
                ["vocab"] = vocabJson,
            },
        };
    }

    /// <summary>tokenizer_config.json: BertTokenizer, uncased, <paramref name="modelMaxLength"/> positions.</summary>
    public static JsonObject TokenizerConfig(int modelMaxLength) => new()
    {
        ["tokenizer_class"] = "BertTokenizer",
        ["do_lower_case"] = true,
        ["tokenize_chinese_chars"] = true,
        ["strip_accents"] = null,
        ["clean_up_tokenization_spaces"] = true,
        ["model_max_length"] = modelMaxLength,
        ["cls_token"] = "[CLS]", ["sep_token"] = "[SEP]", ["pad_token"] = "[PAD]", ["unk_token"] = "[UNK]", ["mask_token"] = "[MASK]",
    };

    /// <summary>special_tokens_map.json.</summary>
    public static JsonObject SpecialTokensMap() => new()
    {
        ["cls_token"] = "[CLS]", ["sep_token"] = "[SEP]", ["pad_token"] = "[PAD]", ["unk_token"] = "[UNK]", ["mask_token"] = "[MASK]",
    };
}
