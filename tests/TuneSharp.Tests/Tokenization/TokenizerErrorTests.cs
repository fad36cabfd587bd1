using System.Text.Json.Nodes;
using TuneSharp.Tokenization;
using static TuneSharp.Tests.Tokenization.TokenizerTestFiles;

namespace TuneSharp.Tests.Tokenization;

/// <summary>User mistakes in tokenizer files are one-line <see cref="UserError"/>s naming the file and key.</summary>
public class TokenizerErrorTests
{
    static string LoadError(Action<JsonObject> edit)
    {
        var json = ReadJson(ByteLevelDir);
        edit(json);
        return Assert.Throws<UserError>(() => LoadModified(json)).Message;
    }

    [Fact]
    public void Unsupported_model_type()
    {
        Assert.Equal("tokenizer.json: model.type 'Unigram' is not supported (supported: BPE, WordPiece)",
            LoadError(j => j["model"]!["type"] = "Unigram"));
    }

    [Fact]
    public void Unknown_pre_tokenizer_and_normalizer_types()
    {
        Assert.Equal("tokenizer.json: pre_tokenizer.type 'Metaspace' is not supported "
            + "(supported: ByteLevel, Split, Sequence, BertPreTokenizer, Whitespace, WhitespaceSplit, Digits)",
            LoadError(j => j["pre_tokenizer"] = JsonNode.Parse("""{"type": "Metaspace"}""")));
        Assert.Equal("tokenizer.json: normalizer.normalizers[1].type 'Precompiled' is not supported "
            + "(supported: BertNormalizer, Lowercase, NFD, NFC, StripAccents, Sequence)",
            LoadError(j => j["normalizer"] = JsonNode.Parse("""{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Precompiled"}]}""")));
    }

    [Fact]
    public void A_vocab_id_far_beyond_the_vocabulary_is_refused_before_the_id_table_is_sized()
    {
        // A fuzzing reproducer: id 2147483647 overflowed Max() + 1; 2^30 allocated an 8 GB table.
        Assert.Contains("id 2147483647 is far beyond the",
            LoadError(j => j["model"]!["vocab"]!["a"] = int.MaxValue));
    }

    [Fact]
    public void Bad_merge_names_its_index()
    {
        Assert.Equal("tokenizer.json: model.merges[1] must be \"a b\" or [\"a\", \"b\"]",
            LoadError(j => j["model"]!["merges"]![1] = 42));
    }

    [Fact]
    public void Invalid_json_names_the_file()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{\"model\": {\"type\": \"BPE\",\n");
        var message = Assert.Throws<UserError>(() => HfTokenizer.Load(dir)).Message;
        Assert.StartsWith("tokenizer.json: invalid JSON at line ", message);
        Assert.DoesNotContain('\n', message);
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), File.ReadAllText(Path.Combine(ByteLevelDir, "tokenizer.json")));
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "[1, 2");
        Assert.StartsWith("tokenizer_config.json: invalid JSON", Assert.Throws<UserError>(() => HfTokenizer.Load(dir)).Message);
    }

    [Fact]
    public void Missing_files()
    {
        var dir = TempDir();
        Assert.StartsWith("tokenizer.json: not found in " + dir, Assert.Throws<UserError>(() => HfTokenizer.Load(dir)).Message);
        Assert.StartsWith("nope.json: not found", Assert.Throws<UserError>(() => HfTokenizer.FromFiles(Path.Combine(dir, "nope.json"), null)).Message);
    }

    [Fact]
    public void Padding_without_pad_token()
    {
        var config = ReadJson(ByteLevelDir, "tokenizer_config.json");
        config["pad_token"] = null;
        var tok = LoadModified(ReadJson(ByteLevelDir), config);
        Assert.Equal("tokenizer_config.json: pad_token is not set, so the batch cannot be padded (set one, e.g. the eos_token)",
            Assert.Throws<UserError>(() => tok.EncodeBatch(["a", "a b"])).Message);
        Assert.Equal(new[] { 68 }, tok.EncodeBatch(["a"]).InputIds[0]); // nothing to pad: fine
    }
}
