using System.Text.Json.Nodes;
using TuneSharp.Tokenization;
using static TuneSharp.Tests.Tokenization.TokenizerTestFiles;

namespace TuneSharp.Tests.Tokenization;

/// <summary>Added tokens: never split, lstrip/rstrip/single_word, new ids, and Save/Load round trips.</summary>
public class AddedTokensTests
{
    static JsonObject AddedToken(int id, string content, bool lstrip = false, bool rstrip = false, bool singleWord = false) => new()
    {
        ["id"] = id, ["content"] = content, ["single_word"] = singleWord, ["lstrip"] = lstrip, ["rstrip"] = rstrip,
        ["normalized"] = false, ["special"] = true,
    };

    [Fact]
    public void New_tokens_get_next_ids_and_are_never_split()
    {
        var tok = HfTokenizer.Load(ByteLevelDir);
        Assert.Equal(new[] { 68, 31, 87, 82, 398, 33, 69 }, tok.Encode("a<tool>b")); // before: a < t o ol > b
        Assert.Equal(2, tok.AddTokens(["<tool>", "Ġa", "<tool>", "zzq"], special: true)); // "Ġa" is in the vocab already
        Assert.Equal(514, tok.VocabSize);
        Assert.Equal(512, tok.TokenToId("<tool>"));
        Assert.Equal(513, tok.TokenToId("zzq"));
        Assert.Equal(265, tok.TokenToId("Ġa"));
        Assert.Equal(new[] { 68, 512, 69 }, tok.Encode("a<tool>b"));
        Assert.Equal("ab", tok.Decode([68, 512, 69], skipSpecialTokens: true));
        Assert.Equal("a<tool>b", tok.Decode([68, 512, 69]));
        Assert.Equal(new[] { (0, 1), (1, 7), (7, 8) }, tok.EncodeWithOffsets("a<tool>b").Offsets);
        Assert.Equal(1, tok.AddTokens(["hello world"], special: false));
        Assert.False(tok.IsSpecial(514));
        Assert.Equal(new[] { 68, 514, 69 }, tok.Encode("ahello worldb"));
        Assert.Equal("ahello worldb", tok.Decode([68, 514, 69], skipSpecialTokens: true));
    }

    [Fact]
    public void Lstrip_rstrip_and_single_word()
    {
        var json = ReadJson(ByteLevelDir);
        var added = json["added_tokens"]!.AsArray();
        added.Add(AddedToken(512, "<mask>", lstrip: true));
        added.Add(AddedToken(513, "<r>", rstrip: true));
        added.Add(AddedToken(514, "ab", singleWord: true));
        var tok = LoadModified(json);
        var enc = tok.EncodeWithOffsets("a <mask> b");
        Assert.Equal(new[] { 68, 512, 275 }, enc.Ids); // the space before <mask> is taken by it; " b" stays "Ġb"
        Assert.Equal(new[] { (0, 1), (1, 8), (8, 10) }, enc.Offsets);
        Assert.Equal(new[] { 68, 513, 69 }, tok.Encode("a<r>  b")); // both spaces after <r> taken
        Assert.Equal(new[] { 514, 301, 392 }, tok.Encode("ab cab")); // "ab" alone matches; " cab" is "Ġc" "ab" from the model (reference_bpe.py)
    }

    [Fact]
    public void Save_then_load_round_trips()
    {
        var tok = HfTokenizer.Load(ByteLevelDir);
        tok.AddTokens(["<tool>"], special: true);
        tok.AddTokens(["zzq"], special: false);
        var dir = TempDir();
        tok.Save(dir);
        Assert.Equal(new[] { "chat_template.jinja", "tokenizer.json", "tokenizer_config.json" },
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var back = HfTokenizer.Load(dir);
        var text = "x <tool> zzq " + Meta["chat_text"]!.GetValue<string>();
        Assert.Equal(tok.Encode(text), back.Encode(text));
        Assert.Contains(512, back.Encode(text));
        Assert.Contains(513, back.Encode(text));
        Assert.Equal(514, back.VocabSize);
        Assert.True(back.IsSpecial(512));
        Assert.False(back.IsSpecial(513));
        Assert.Equal(3, back.PadTokenId);
        Assert.Equal(tok.ChatTemplate, back.ChatTemplate);
        Assert.Equal(Rows("input_ids"), back.EncodeBatch(Strings("sentences")).InputIds);
        var saved = ReadJson(dir);
        Assert.Equal(6, saved["added_tokens"]!.AsArray().Count);
        Assert.Contains("\"Ġa\"", File.ReadAllText(Path.Combine(dir, "tokenizer.json"))); // unescaped like HF writes it
        tok.Save(dir); // overwriting works
        Assert.Equal(3, Directory.GetFiles(dir).Length);
    }

    [Fact]
    public void Chat_template_from_a_list_in_the_config()
    {
        var config = ReadJson(ByteLevelDir, "tokenizer_config.json");
        config["chat_template"] = JsonNode.Parse("""[{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]""");
        Assert.Equal("D", LoadModified(ReadJson(ByteLevelDir), config).ChatTemplate);
        config["chat_template"] = "S";
        Assert.Equal("S", LoadModified(ReadJson(ByteLevelDir), config).ChatTemplate);
    }
}
