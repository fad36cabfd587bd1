using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TuneSharp.IO;

namespace TuneSharp.Tokenization.Training;

/// <summary>
/// Writes a trained byte-level BPE as a Hugging Face tokenizer folder: tokenizer.json with the layout
/// <c>tokenizers</c> 0.2x saves (merges as pairs), tokenizer_config.json as <c>transformers</c> saves it
/// (sorted keys), and a ChatML chat_template.jinja. Every file is written atomically.
/// </summary>
public static class TokenizerFilesWriter
{
    /// <summary>
    /// The ChatML template of the hf-tiny fixture: each turn as <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>,
    /// then <c>&lt;|im_start|&gt;assistant\n</c> when a generation prompt is asked for.
    /// </summary>
    public const string ChatMlTemplate =
        "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}" +
        "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    const string EosToken = "<|endoftext|>", PadToken = "<|pad|>";

    // transformers' VERY_LARGE_INTEGER (int(1e30)), its "no limit" value, written as Python writes it.
    const string NoMaxLength = "1000000000000000019884624838656";

    /// <summary>
    /// Writes tokenizer.json, tokenizer_config.json and chat_template.jinja into <paramref name="dir"/> (created if needed).
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="dir">The output folder.</param>
    /// <param name="modelMaxLength">tokenizer_config.json's model_max_length; null writes transformers' "no limit".</param>
    public static void Write(TrainedBpe model, string dir, int? modelMaxLength = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, "tokenizer.json"), Serialize(TokenizerJson(model)));
        AtomicFile.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), Serialize(TokenizerConfigJson(model, modelMaxLength)));
        AtomicFile.WriteAllText(Path.Combine(dir, "chat_template.jinja"), ChatMlTemplate);
    }

    /// <summary>tokenizer.json: added tokens, ByteLevel pre-tokenizer/post-processor/decoder and the BPE model.</summary>
    public static JsonObject TokenizerJson(TrainedBpe model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var vocab = new JsonObject();
        for (int id = 0; id < model.Vocab.Count; id++) vocab[model.Vocab[id]] = id;
        var merges = new JsonArray(model.Merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right)).ToArray());
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(model.SpecialTokens.Select((t, id) => (JsonNode)AddedTokenJson(id, t, sorted: false)).ToArray()),
            ["normalizer"] = null,
            ["pre_tokenizer"] = ByteLevel(addPrefixSpace: false, trimOffsets: true),
            ["post_processor"] = ByteLevel(addPrefixSpace: true, trimOffsets: false),
            ["decoder"] = ByteLevel(addPrefixSpace: true, trimOffsets: true),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
    }

    /// <summary>
    /// tokenizer_config.json: no BOS or UNK, &lt;|endoftext|&gt; as EOS and &lt;|pad|&gt; as padding (when they are
    /// special tokens), the other special tokens as additional_special_tokens, and the ChatML template.
    /// </summary>
    public static JsonObject TokenizerConfigJson(TrainedBpe model, int? modelMaxLength = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        bool hasEos = model.SpecialTokens.Contains(EosToken), hasPad = model.SpecialTokens.Contains(PadToken);
        var decoder = new JsonObject();
        for (int id = 0; id < model.SpecialTokens.Count; id++)
            decoder[id.ToString(System.Globalization.CultureInfo.InvariantCulture)] = AddedTokenJson(id, model.SpecialTokens[id], sorted: true);
        var additional = model.SpecialTokens.Where(t => t is not (EosToken or PadToken)).Select(t => (JsonNode)t).ToArray();
        // Keys in the sorted order transformers writes them.
        return new JsonObject
        {
            ["added_tokens_decoder"] = decoder,
            ["additional_special_tokens"] = new JsonArray(additional),
            ["bos_token"] = null,
            ["chat_template"] = ChatMlTemplate,
            ["clean_up_tokenization_spaces"] = false,
            ["eos_token"] = hasEos ? EosToken : null,
            ["model_max_length"] = modelMaxLength is int n ? JsonValue.Create(n) : JsonNode.Parse(NoMaxLength),
            ["pad_token"] = hasPad ? PadToken : null,
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["unk_token"] = null,
        };
    }

    static JsonObject ByteLevel(bool addPrefixSpace, bool trimOffsets) => new()
    {
        ["type"] = "ByteLevel", ["add_prefix_space"] = addPrefixSpace, ["trim_offsets"] = trimOffsets, ["use_regex"] = true,
    };

    /// <summary>A special added token: tokenizer.json's field order, or (tokenizer_config.json) sorted keys.</summary>
    static JsonObject AddedTokenJson(int id, string content, bool sorted) => sorted
        ? new JsonObject
        {
            ["content"] = content, ["lstrip"] = false, ["normalized"] = false, ["rstrip"] = false, ["single_word"] = false, ["special"] = true,
        }
        : new JsonObject
        {
            ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = true,
        };

    // HF writes UTF-8 as is ("Ġthe", not "\u0120the"), indented by two spaces.
    static string Serialize(JsonObject node) =>
        node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
