using System.Text.Json.Nodes;
using TuneSharp.IO.Gguf;
using TuneSharp.Tokenization;

namespace TuneSharp.Models.Export;

/// <summary>
/// The tokenizer part of a GGUF export, as llama.cpp's converter writes a byte-level BPE tokenizer
/// (<c>tokenizer.ggml.model = gpt2</c>): the tokens by id, their types, the merges ("a b"), the special ids,
/// the pre-tokenizer's llama.cpp name and the chat template.
/// </summary>
public static class GgufTokenizer
{
    // llama_token_type values (gguf-py TokenType).
    const int Normal = 1, Control = 3, UserDefined = 4, Unused = 5;

    // The Split regexes of the pre-tokenizers llama.cpp implements, by the name it knows them under (tokenizer.ggml.pre).
    const string Llama3Regex = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    const string Qwen2Regex = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>
    /// Adds the tokenizer.* keys for the tokenizer in <paramref name="modelDir"/>, padded to <paramref name="vocabSize"/>
    /// (the embedding's rows) with unused [PADn] tokens as the converter does.
    /// </summary>
    public static void AddTo(GgufWriter gguf, string modelDir, int vocabSize)
    {
        var tokenizer = HfTokenizer.Load(modelDir);
        var json = IO.JsonFile.ReadObject(Path.Combine(modelDir, "tokenizer.json"));
        var model = json["model"] as JsonObject;
        if (model?["type"]?.GetValue<string>() != "BPE" || json["decoder"]?["type"]?.GetValue<string>() != "ByteLevel")
            throw new UserError($"{modelDir}: gguf export supports byte-level BPE tokenizers (GPT-2, Llama 3, Qwen2 style) only");

        var tokens = new string?[vocabSize];
        var types = new int[vocabSize];
        foreach (var (token, id) in (JsonObject)model["vocab"]!)
            Put(id!.GetValue<int>(), token, Normal);
        foreach (var added in tokenizer.AddedTokens)
            Put(added.Id, added.Content, added.Special ? Control : UserDefined);
        for (int i = 0; i < vocabSize; i++)
            if (tokens[i] is null) { tokens[i] = $"[PAD{i}]"; types[i] = Unused; }

        gguf.Add("tokenizer.ggml.model", "gpt2");
        gguf.Add("tokenizer.ggml.pre", PreTokenizerName(json, modelDir));
        gguf.Add("tokenizer.ggml.tokens", tokens!);
        gguf.Add("tokenizer.ggml.token_type", types);
        gguf.Add("tokenizer.ggml.merges", Merges(model));
        if (tokenizer.BosTokenId is int bos) gguf.Add("tokenizer.ggml.bos_token_id", (uint)bos);
        if (tokenizer.EosTokenId is int eos) gguf.Add("tokenizer.ggml.eos_token_id", (uint)eos);
        if (tokenizer.PadTokenId is int pad) gguf.Add("tokenizer.ggml.padding_token_id", (uint)pad);
        // What the tokenizer actually does, rather than a config flag that may be absent.
        var probe = tokenizer.Encode("a");
        gguf.Add("tokenizer.ggml.add_bos_token", tokenizer.BosTokenId is int b && probe.Count > 0 && probe[0] == b);
        if (tokenizer.ChatTemplate is { } template) gguf.Add("tokenizer.chat_template", template);

        void Put(int id, string token, int type)
        {
            if (id < 0 || id >= vocabSize)
                throw new UserError($"{modelDir}: token '{token}' has id {id}, outside the model's vocabulary of {vocabSize}");
            tokens[id] = token;
            types[id] = type;
        }
    }

    /// <summary>Merges as "left right" strings, from either tokenizer.json layout (strings, or [left, right] pairs).</summary>
    static string[] Merges(JsonObject model) =>
        (model["merges"] as JsonArray ?? []).Select(m => m switch
        {
            JsonArray pair => $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}",
            _ => m!.GetValue<string>(),
        }).ToArray();

    /// <summary>llama.cpp's name for the pre-tokenizer: plain ByteLevel is GPT-2's; a Split with a known regex is Llama 3's or Qwen2's.</summary>
    static string PreTokenizerName(JsonObject json, string modelDir)
    {
        var pre = json["pre_tokenizer"];
        if (pre?["type"]?.GetValue<string>() == "ByteLevel" && pre["use_regex"]?.GetValue<bool>() != false) return "gpt-2";
        var regex = (pre?["pretokenizers"] as JsonArray)?
            .Select(p => p?["pattern"]?["Regex"]?.GetValue<string>()).FirstOrDefault(r => r is not null);
        return regex switch
        {
            Llama3Regex => "llama-bpe",
            Qwen2Regex => "qwen2",
            _ => throw new UserError($"{modelDir}/tokenizer.json: gguf export: the pre-tokenizer is not one llama.cpp names (supported: GPT-2 byte-level, Llama 3, Qwen2)"),
        };
    }
}
