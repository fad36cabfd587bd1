using System.Text.Json.Nodes;
using TuneSharp.Tokenization;
using static TuneSharp.Tests.Tokenization.TokenizerTestFiles;

namespace TuneSharp.Tests.Tokenization;

/// <summary>The GPT-2-style byte-level BPE of the hf-tiny fixture against what Hugging Face computed (meta.json).</summary>
public class ByteLevelBpeTests
{
    static readonly HfTokenizer tok = HfTokenizer.Load(ByteLevelDir);

    [Fact]
    public void Loads_the_fixture_config()
    {
        Assert.Equal(512, tok.VocabSize);
        Assert.Equal(Meta["vocab_size"]!.GetValue<int>(), tok.VocabSize);
        Assert.Equal(3, tok.PadTokenId);
        Assert.Equal("<|pad|>", tok.PadToken);
        Assert.Equal(0, tok.EosTokenId);
        Assert.Null(tok.BosTokenId);
        Assert.Null(tok.UnkTokenId);
        Assert.Equal(int.MaxValue, tok.ModelMaxLength);
        Assert.StartsWith("{% for m in messages %}<|im_start|>", tok.ChatTemplate);
        Assert.True(tok.IsSpecial(1));
        Assert.False(tok.IsSpecial(41));
        Assert.Equal("Ġa", tok.IdToToken(265));
        Assert.Equal(265, tok.TokenToId("Ġa"));
    }

    [Fact]
    public void Batch_matches_HF_ids_and_masks_with_right_padding()
    {
        var batch = tok.EncodeBatch(Strings("sentences"));
        Assert.Equal(Rows("input_ids"), batch.InputIds);
        Assert.Equal(Rows("attention_mask"), batch.AttentionMask);
    }

    [Fact]
    public void Single_encode_matches_HF_without_padding()
    {
        var expected = Rows("input_ids")[1].Where(i => i != 3).ToArray();
        Assert.Equal(expected, tok.Encode(Strings("sentences")[1]));
    }

    [Fact]
    public void Decode_matches_HF_decoded_skipping_special_tokens()
    {
        var rows = Rows("input_ids");
        var decoded = Strings("decoded");
        for (int i = 0; i < rows.Length; i++) Assert.Equal(decoded[i], tok.Decode(rows[i], skipSpecialTokens: true));
        Assert.Equal("Return the number of items in a container.<|pad|><|pad|>", tok.Decode(rows[1].Take(20)));
    }

    [Fact]
    public void Chat_text_with_special_tokens_matches_HF_chat_ids()
    {
        var expected = Meta["chat_ids"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        Assert.Equal(expected, tok.Encode(Meta["chat_text"]!.GetValue<string>()));
        Assert.Equal("system\nYou are terse.\nuser\nSay hi.\nassistant\n", tok.Decode(expected, skipSpecialTokens: true));
    }

    [Fact]
    public void Left_padding_puts_pads_first()
    {
        var batch = tok.EncodeBatch(Strings("sentences"), new EncodeOptions { PaddingSide = Side.Left });
        var right = Rows("input_ids")[1];
        int real = right.Count(i => i != 3);
        Assert.Equal(Enumerable.Repeat(3, 28 - real).Concat(right.Take(real)), batch.InputIds[1]);
        Assert.Equal(Enumerable.Repeat(0, 28 - real).Concat(Enumerable.Repeat(1, real)), batch.AttentionMask[1]);
        Assert.Equal(Rows("input_ids")[0], batch.InputIds[0]);
        Assert.Equal((0, 0), batch.Offsets[1][0]);
    }

    [Fact]
    public void Truncation_right_and_left()
    {
        var rows = Rows("input_ids");
        var right = tok.EncodeBatch(Strings("sentences"), new EncodeOptions { Truncation = true, MaxLength = 8 });
        Assert.Equal(rows[0].Take(8), right.InputIds[0]);
        Assert.Equal(rows[1].Take(8), right.InputIds[1]);
        Assert.All(right.AttentionMask, m => Assert.Equal(Enumerable.Repeat(1, 8), m));

        var left = tok.EncodeBatch(Strings("sentences"), new EncodeOptions { Truncation = true, MaxLength = 8, TruncationSide = Side.Left });
        Assert.Equal(rows[0].TakeLast(8), left.InputIds[0]);
        Assert.Equal(rows[1].Take(18).TakeLast(8), left.InputIds[1]);
    }

    [Fact]
    public void Max_length_padding_and_multiple_of()
    {
        var batch = tok.EncodeBatch(["Return"], new EncodeOptions { Padding = Padding.MaxLength, MaxLength = 5 });
        Assert.Equal(new[] { 53, 322, 385, 3, 3 }, batch.InputIds[0]); // "R", "et", "urn"
        Assert.Equal(new[] { 1, 1, 1, 0, 0 }, batch.AttentionMask[0]);
        var multiple = tok.EncodeBatch(Strings("sentences"), new EncodeOptions { PadToMultipleOf = 8 });
        Assert.Equal(32, multiple.InputIds[0].Length);
        Assert.Equal(Rows("input_ids")[0].Concat(Enumerable.Repeat(3, 4)), multiple.InputIds[0]);
        var none = tok.EncodeBatch(Strings("sentences"), new EncodeOptions { Padding = Padding.None });
        Assert.Equal(18, none.InputIds[1].Length);
    }

    [Fact]
    public void Offsets_cover_the_text_and_each_token_decodes_to_its_span()
    {
        var text = Strings("sentences")[0];
        var enc = tok.EncodeWithOffsets(text);
        Assert.Equal(Rows("input_ids")[0], enc.Ids);
        Assert.Equal(text, string.Concat(enc.Offsets.Select(o => text[o.Start..o.End])));
        for (int i = 0; i < enc.Ids.Length; i++)
            Assert.Equal(tok.Decode([enc.Ids[i]]), text[enc.Offsets[i].Start..enc.Offsets[i].End]);
        Assert.Equal((4, 5), enc.Offsets[3]); // "-"
        Assert.Equal((11, 13), enc.Offsets[7]); // "Ġa" (trim_offsets is false in the fixture's post_processor)
    }

    [Fact]
    public void Offsets_of_multibyte_characters_point_at_the_whole_character()
    {
        var text = "héllo wörld ✓";
        var enc = tok.EncodeWithOffsets(text);
        // Expected ids from Data/reference_bpe.py (plain Python BPE over the fixture's vocab and merges).
        Assert.Equal(new[] { 75, 131, 106, 79, 371, 300, 131, 118, 85, 79, 71, 224, 162, 254, 245 }, enc.Ids);
        Assert.Equal(new[] { (0, 1), (1, 2), (1, 2), (2, 3), (3, 5), (5, 7), (7, 8), (7, 8), (8, 9), (9, 10), (10, 11), (11, 12), (12, 13), (12, 13), (12, 13) },
            enc.Offsets);
        Assert.Equal(text, tok.Decode(enc.Ids));
    }

    [Fact]
    public void Decoding_broken_utf8_gives_replacement_characters_as_HF()
    {
        Assert.Equal("\uFFFD", tok.Decode([131]));          // lone lead byte C3
        Assert.Equal("é", tok.Decode([131, 106]));
        Assert.Equal("\uFFFD", tok.Decode([162, 254]));     // E2 9C: one maximal invalid subpart
        Assert.Equal("h\uFFFDl", tok.Decode([75, 106, 79])); // stray continuation byte A9
    }

    [Fact]
    public void Merges_written_as_strings_give_identical_ids()
    {
        var json = ReadJson(ByteLevelDir);
        var merges = json["model"]!["merges"]!.AsArray();
        Assert.IsType<JsonArray>(merges[0]); // the fixture uses the newer pair form
        json["model"]!["merges"] = new JsonArray(merges.Select(m => (JsonNode)JsonValue.Create($"{m![0]} {m[1]}")!).ToArray());
        var legacy = LoadModified(json, ReadJson(ByteLevelDir, "tokenizer_config.json"));
        foreach (var s in Strings("sentences").Append(Meta["chat_text"]!.GetValue<string>()).Append("héllo wörld ✓ 12345"))
            Assert.Equal(tok.Encode(s), legacy.Encode(s));
        Assert.Equal(Rows("input_ids"), legacy.EncodeBatch(Strings("sentences")).InputIds);
    }

    [Fact]
    public void Add_prefix_space_and_trim_offsets_as_gpt2_configures_them()
    {
        var json = ReadJson(ByteLevelDir);
        json["pre_tokenizer"]!["add_prefix_space"] = true;
        json["post_processor"]!["trim_offsets"] = true;
        var gpt2 = LoadModified(json);
        var enc = gpt2.EncodeWithOffsets("Return the");
        // Data/reference_bpe.py for " Return the": "Ġ", "R", "et", "urn", "Ġthe".
        Assert.Equal(new[] { 224, 53, 322, 385, 269 }, enc.Ids);
        // The added space is aligned to "R" (HF's prepend); trimming its trailing space leaves it empty, as in HF.
        Assert.Equal((0, 0), enc.Offsets[0]);
        Assert.Equal((0, 1), enc.Offsets[1]);
        Assert.Equal((7, 10), enc.Offsets[^1]); // "Ġthe" trimmed to "the"
    }
}
