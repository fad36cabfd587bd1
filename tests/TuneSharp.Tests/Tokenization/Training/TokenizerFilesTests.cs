using System.Text.Json.Nodes;
using TuneSharp.Templates;
using TuneSharp.Tokenization;
using TuneSharp.Tokenization.Training;
using static TuneSharp.Tests.Tokenization.TokenizerTestFiles;

namespace TuneSharp.Tests.Tokenization.Training;

/// <summary>The files TokenizerFilesWriter writes: HF's layout, and what HfTokenizer makes of them.</summary>
public class TokenizerFilesTests
{
    static readonly HfTokenizer tok = HfTokenizer.Load(TrainingCorpus.Dir);

    static readonly string[] Samples =
    [
        "Hello, world! It's 2024 and we're testing 12345 numbers: 3.14159, 1,000,000.",
        "Ünïcödé façade — naïve café, Straße; «quotes» ‘single’…",
        "日本語のテキスト。中文：你好，世界！ 한국어 문장.",
        "Emoji 😀😀 🚀 👍🏽 ✨ 🇫🇷 and rare ones 🦩🪐.",
        "Line one\nline two\r\n\n\ttabbed   spaced  \u00a0nbsp\n\n",
        "  leading spaces and trailing spaces   ",
        "def f(x):\n    return {\"a\": [1, 2]}  # code\n",
        "",
        "\u0000\u0007 control \u007f chars and a lone \ud800 surrogate are bytes too",
    ];

    [Fact]
    public void Tokenizer_json_has_the_fixture_layout()
    {
        var fixture = ReadJson(ByteLevelDir);
        var ours = ReadJson(TrainingCorpus.Dir);
        Assert.Equal(fixture.Select(kv => kv.Key), ours.Select(kv => kv.Key));
        foreach (var key in new[] { "version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer", "post_processor", "decoder" })
            Assert.True(JsonNode.DeepEquals(fixture[key], ours[key]), key);
        var fixtureModel = fixture["model"]!.AsObject();
        var model = ours["model"]!.AsObject();
        Assert.Equal(fixtureModel.Select(kv => kv.Key), model.Select(kv => kv.Key));
        foreach (var (key, value) in fixtureModel.Where(kv => kv.Key is not ("vocab" or "merges")))
            Assert.True(JsonNode.DeepEquals(value, model[key]), key);
        Assert.All(model["merges"]!.AsArray(), m => Assert.Equal(2, m!.AsArray().Count(s => s!.GetValue<string>().Length > 0)));
        Assert.Equal(Enumerable.Range(0, TrainingCorpus.VocabSize), model["vocab"]!.AsObject().Select(kv => kv.Value!.GetValue<int>()));
    }

    [Fact]
    public void Tokenizer_config_names_eos_and_pad_and_the_chat_template()
    {
        var config = ReadJson(TrainingCorpus.Dir, "tokenizer_config.json");
        Assert.Equal(config.Select(kv => kv.Key).Order(StringComparer.Ordinal), config.Select(kv => kv.Key));
        Assert.Null(config["bos_token"]);
        Assert.Null(config["unk_token"]);
        Assert.Equal("<|endoftext|>", config["eos_token"]!.GetValue<string>());
        Assert.Equal("<|pad|>", config["pad_token"]!.GetValue<string>());
        Assert.False(config["clean_up_tokenization_spaces"]!.GetValue<bool>());
        Assert.Equal("PreTrainedTokenizerFast", config["tokenizer_class"]!.GetValue<string>());
        Assert.Equal(["<|im_start|>", "<|im_end|>"], config["additional_special_tokens"]!.AsArray().Select(n => n!.GetValue<string>()));
        var decoder = config["added_tokens_decoder"]!.AsObject();
        Assert.Equal(["0", "1", "2", "3"], decoder.Select(kv => kv.Key));
        Assert.Equal("<|im_end|>", decoder["2"]!["content"]!.GetValue<string>());
        Assert.True(decoder["2"]!["special"]!.GetValue<bool>());
        Assert.Contains("\"model_max_length\": 1000000000000000019884624838656", File.ReadAllText(Path.Combine(TrainingCorpus.Dir, "tokenizer_config.json")),
            StringComparison.Ordinal);
        var jinja = File.ReadAllText(Path.Combine(TrainingCorpus.Dir, "chat_template.jinja"));
        Assert.Equal(File.ReadAllText(Path.Combine(ByteLevelDir, "chat_template.jinja")), jinja);
        Assert.Equal(jinja, config["chat_template"]!.GetValue<string>());
    }

    [Fact]
    public void HfTokenizer_loads_it_with_its_special_tokens()
    {
        Assert.Equal(TrainingCorpus.VocabSize, tok.VocabSize);
        Assert.Equal(0, tok.EosTokenId);
        Assert.Equal(3, tok.PadTokenId);
        Assert.Null(tok.BosTokenId);
        Assert.Null(tok.UnkTokenId);
        Assert.Equal(int.MaxValue, tok.ModelMaxLength);
        Assert.Equal(TokenizerFilesWriter.ChatMlTemplate, tok.ChatTemplate);
        for (int id = 0; id < 4; id++) Assert.True(tok.IsSpecial(id));
        Assert.False(tok.IsSpecial(4));
    }

    [Fact]
    public void Encode_then_decode_gives_the_text_back()
    {
        foreach (var text in Samples)
        {
            var expected = text.Replace("\ud800", "\ufffd", StringComparison.Ordinal); // a lone surrogate has no UTF-8 form
            Assert.Equal(expected, tok.Decode(tok.Encode(text)));
        }
        Assert.Equal(TrainingCorpus.Text, tok.Decode(tok.Encode(TrainingCorpus.Text)));
    }

    [Fact]
    public void Encoding_equals_a_reference_BPE_applying_merges_by_rank()
    {
        foreach (var text in Samples.Append(TrainingCorpus.Text[..4000]))
            Assert.Equal(TrainingCorpus.ReferenceEncode(TrainingCorpus.Model, text), tok.Encode(text));
        // The corpus' frequent words became single tokens.
        Assert.Single(tok.Encode(" the"));
    }

    [Fact]
    public void Special_tokens_in_text_keep_ids_0_to_3_and_are_never_split()
    {
        Assert.Equal([0], tok.Encode("<|endoftext|>"));
        Assert.Equal([3, 3], tok.Encode("<|pad|><|pad|>"));
        var ids = tok.Encode("<|im_start|>user\nHi<|im_end|>\n<|endoftext|>");
        Assert.Equal(1, ids[0]);
        Assert.Equal([2, tok.TokenToId("Ċ")!.Value, 0], ids.TakeLast(3));
        Assert.Equal(3, ids.Count(id => id < 4));
        Assert.Equal("user\nHi\n", tok.Decode(ids, skipSpecialTokens: true));
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|endoftext|>", tok.Decode(ids));
    }

    [Fact]
    public void Chat_template_renders_the_fixture_conversation_like_HF()
    {
        var meta = Meta;
        var text = new ChatTemplate(tok.ChatTemplate!).Render(meta["chat_messages"]!.DeepClone(), addGenerationPrompt: true);
        Assert.Equal(meta["chat_text"]!.GetValue<string>(), text);
        var ids = tok.Encode(text);
        Assert.Equal([1, 2, 1, 2, 1], ids.Where(id => id < 4));
        Assert.Equal(text, tok.Decode(ids));
    }

    [Fact]
    public void Writing_twice_gives_byte_identical_files_and_leaves_no_temporary_file()
    {
        var a = TempDir();
        var b = TempDir();
        TokenizerFilesWriter.Write(TrainingCorpus.Train(TrainingCorpus.VocabSize), a);
        TokenizerFilesWriter.Write(TrainingCorpus.Train(TrainingCorpus.VocabSize), b);
        var names = new[] { "chat_template.jinja", "tokenizer.json", "tokenizer_config.json" };
        Assert.Equal(names, Directory.GetFiles(a).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in names)
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, name)), File.ReadAllBytes(Path.Combine(b, name)));
    }

    [Fact]
    public void Extra_special_tokens_follow_the_four_and_model_max_length_is_written()
    {
        var trainer = new BpeTrainer(new BpeTrainerOptions
        {
            VocabSize = 300, SpecialTokens = [.. BpeTrainerOptions.ChatSpecialTokens, "<|tool|>"],
        });
        trainer.Feed(TrainingCorpus.Lines());
        var dir = TempDir();
        TokenizerFilesWriter.Write(trainer.Train(), dir, modelMaxLength: 2048);
        var t = HfTokenizer.Load(dir);
        Assert.Equal(4, t.TokenToId("<|tool|>"));
        Assert.True(t.IsSpecial(4));
        Assert.Equal([4], t.Encode("<|tool|>"));
        Assert.Equal(2048, t.ModelMaxLength);
        Assert.Equal(300, t.VocabSize);
    }
}
