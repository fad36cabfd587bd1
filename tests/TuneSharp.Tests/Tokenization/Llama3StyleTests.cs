using System.Text.Json.Nodes;
using TuneSharp.Tokenization;
using TuneSharp.Tokenization.PreTokenizers;
using static TuneSharp.Tests.Tokenization.TokenizerTestFiles;

namespace TuneSharp.Tests.Tokenization;

/// <summary>
/// Llama-3 / Qwen2 layout: pre_tokenizer Sequence[Split(word regex, Isolated), ByteLevel(use_regex=false)],
/// post_processor Sequence[ByteLevel, TemplateProcessing(BOS $A)], built on the fixture's vocab and merges.
/// Expected ids come from Data/reference_bpe.py (Python's regex module + a plain BPE).
/// </summary>
public class Llama3StyleTests
{
    const string Llama3Regex = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    const string Qwen2Regex = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
    const int Bos = 512;

    static HfTokenizer Build(string regex, bool withBos)
    {
        var json = ReadJson(ByteLevelDir);
        json["pre_tokenizer"] = JsonNode.Parse($$"""
            {"type": "Sequence", "pretokenizers": [
              {"type": "Split", "pattern": {"Regex": {{JsonValue.Create(regex)!.ToJsonString()}}}, "behavior": "Isolated", "invert": false},
              {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}
            """);
        json["model"]!["ignore_merges"] = true;
        if (withBos)
        {
            json["added_tokens"]!.AsArray().Add(JsonNode.Parse(
                """{"id": 512, "content": "<|begin_of_text|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}"""));
            json["post_processor"] = JsonNode.Parse("""
                {"type": "Sequence", "processors": [
                  {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
                  {"type": "TemplateProcessing",
                   "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                   "pair": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                            {"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
                   "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [512], "tokens": ["<|begin_of_text|>"]}}}]}
                """);
        }
        var config = ReadJson(ByteLevelDir, "tokenizer_config.json");
        config["bos_token"] = withBos ? "<|begin_of_text|>" : null;
        return LoadModified(json, config);
    }

    static readonly HfTokenizer llama3 = Build(Llama3Regex, withBos: true);
    static readonly HfTokenizer gpt2 = HfTokenizer.Load(ByteLevelDir);

    [Fact]
    public void Numbers_split_into_three_digit_groups()
    {
        var text = "Call 12345 or 0987654321 NOW!";
        Assert.Equal(new[] { Bos, 38, 281, 79, 224, 20, 21, 22, 23, 24, 318, 224, 19, 28, 27, 26, 25, 24, 23, 22, 21, 20, 472, 50, 58, 4 },
            llama3.Encode(text));
        Assert.Equal(new[] { 38, 281, 79, 377, 21, 22, 23, 24, 318, 360, 28, 27, 26, 25, 24, 23, 22, 21, 20, 472, 50, 58, 4 }, gpt2.Encode(text));
        Assert.Equal(Bos, llama3.BosTokenId);
    }

    [Fact]
    public void Newlines_and_indentation_split_as_llama3()
    {
        var text = "def f():\n    return 2024\n";
        Assert.Equal(new[] { 71, 339, 287, 395, 29, 202, 271, 417, 224, 21, 19, 21, 23, 202 }, llama3.Encode(text, addSpecialTokens: false));
        Assert.Equal(new[] { 71, 339, 287, 395, 29, 284, 417, 454, 19, 21, 23, 202 }, gpt2.Encode(text));
        Assert.Equal(text, llama3.Decode(llama3.Encode(text), skipSpecialTokens: true));
    }

    [Fact]
    public void Contractions_match_case_insensitively()
    {
        var split = new SplitPreTokenizer(new(OnigurumaRegex.ToDotNet(Llama3Regex), SplitPreTokenizer.Options), SplitBehavior.Isolated, false);
        var text = "DON'T stop, he'S here";
        Assert.Equal(new[] { "DON", "'T", " stop", ",", " he", "'S", " here" },
            split.Split(NormalizedText.FromOriginal(text)).Select(p => p.Text));
        Assert.Equal(new[] { "DON", "'", "T", " stop", ",", " he", "'", "S", " here" },
            SplitPreTokenizer.Matches(ByteLevelPreTokenizer.Gpt2Pattern, text).Select(m => text[m.Item1..m.Item2]));
        Assert.Equal(new[] { Bos, 39, 50, 49, 10, 55, 272, 87, 82, 83, 15, 224, 266, 10, 54, 224, 393, 72 }, llama3.Encode(text));
        var offsets = llama3.EncodeWithOffsets(text).Offsets;
        Assert.Equal((0, 0), offsets[0]);
        Assert.Equal((3, 4), offsets[4]); // "'" of "'T"
        Assert.Equal((4, 5), offsets[5]); // "T"
    }

    [Fact]
    public void Qwen2_splits_every_digit()
    {
        var qwen2 = Build(Qwen2Regex, withBos: false);
        Assert.Equal(new[] { 38, 281, 79, 224, 20, 21, 22, 23, 24, 318, 224, 19, 28, 27, 26, 25, 24, 23, 22, 21, 20, 472, 50, 58, 4 },
            qwen2.Encode("Call 12345 or 0987654321 NOW!"));
        var split = new SplitPreTokenizer(new(OnigurumaRegex.ToDotNet(Qwen2Regex), SplitPreTokenizer.Options), SplitBehavior.Isolated, false);
        Assert.Equal(new[] { "1", "2", "3" }, split.Split(NormalizedText.FromOriginal("123")).Select(p => p.Text));
    }

    [Fact]
    public void Bos_template_and_special_tokens_in_text()
    {
        Assert.Equal(new[] { Bos, Bos, 1, 53, 322, 385, 2 }, llama3.Encode("<|begin_of_text|><|im_start|>Return<|im_end|>"));
        Assert.Equal(new[] { 1, 53, 322, 385, 2 }, llama3.Encode("<|im_start|>Return<|im_end|>", addSpecialTokens: false));
        var pair = llama3.EncodePair("Return", "Return");
        Assert.Equal(new[] { Bos, 53, 322, 385, Bos, 53, 322, 385 }, pair.Ids);
        Assert.Equal(new[] { 0, 0, 0, 0, 1, 1, 1, 1 }, pair.TypeIds);
        var truncated = llama3.EncodeBatch(["Return the number"], new EncodeOptions { Truncation = true, MaxLength = 3 });
        Assert.Equal(new[] { Bos, 53, 322 }, truncated.InputIds[0]);
    }

    [Fact]
    public void Possessive_quantifiers_become_atomic_groups()
    {
        Assert.Equal(@"(?>[^\r\n\p{L}\p{N}]?)\p{L}+|(?>\p{N}{1,3})| ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>(?:ab)*)\u00E9",
            OnigurumaRegex.ToDotNet(@"[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|(?:ab)*+\x{e9}"));
        Assert.Equal(Llama3Regex, OnigurumaRegex.ToDotNet(Llama3Regex));
    }
}
