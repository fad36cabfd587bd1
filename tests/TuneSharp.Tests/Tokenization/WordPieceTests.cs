using System.Text.Json.Nodes;
using TuneSharp.Tokenization;
using static TuneSharp.Tests.Tokenization.TokenizerTestFiles;

namespace TuneSharp.Tests.Tokenization;

/// <summary>
/// BERT-style WordPiece on the hand-written Data/wordpiece-bert tokenizer (uncased, accents stripped,
/// max_input_chars_per_word 12). Ids follow HF's algorithm by hand: BertNormalizer, whitespace and
/// punctuation split, greedy longest-match-first with "##" continuations, any failure = [UNK].
/// </summary>
public class WordPieceTests
{
    const int Cls = 2, Sep = 3, Unk = 1;
    static readonly HfTokenizer tok = HfTokenizer.Load(WordPieceDir);

    [Theory]
    [InlineData("Hello, World!", new[] { Cls, 24, 6, 25, 7, Sep })]
    [InlineData("Unbelievable tokenizers.", new[] { Cls, 13, 14, 15, 20, 21, 16, 5, Sep })]   // un ##believ ##able token ##izer ##s .
    [InlineData("Café NAÏVE", new[] { Cls, 12, 26, Sep })]                                     // lowercase + accents stripped
    [InlineData("Playing played plays xyz", new[] { Cls, 17, 18, 17, 19, 17, 16, Unk, Sep })]
    [InlineData("don't", new[] { Cls, 27, 8, 28, Sep })]                                       // "'" is punctuation
    [InlineData("Fine-tune", new[] { Cls, 31, 9, Unk, Sep })]                                  // "t" then no "##une": whole word unknown
    [InlineData("中小", new[] { Cls, 33, 32, Sep })]                                            // CJK characters are words
    [InlineData("overflow overflowoverflow", new[] { Cls, 34, 35, Unk, Sep })]                 // 16 chars > max_input_chars_per_word (12)
    [InlineData("the [MASK] is great", new[] { Cls, 10, 4, 22, 23, Sep })]                    // special token in the text
    [InlineData("a\tb\0ab", new[] { Cls, 11, 39, 38, 40, Sep })]                               // NUL dropped: "bab" = b ##a ##b
    public void Encodes_like_HF(string text, int[] expected) => Assert.Equal(expected, tok.Encode(text));

    [Fact]
    public void Offsets_point_into_the_original_text()
    {
        var enc = tok.EncodeWithOffsets("Café NAÏVE, a\tb\0ab");
        Assert.Equal(new[] { Cls, 12, 26, 6, 11, 39, 38, 40, Sep }, enc.Ids);
        Assert.Equal(new[] { (0, 0), (0, 4), (5, 10), (10, 11), (12, 13), (14, 15), (16, 17), (17, 18), (0, 0) }, enc.Offsets);
        Assert.Equal(new[] { (0, 2), (2, 8), (8, 12) }, tok.EncodeWithOffsets("Unbelievable", addSpecialTokens: false).Offsets);
    }

    [Fact]
    public void Decode_joins_pieces_and_cleans_up()
    {
        Assert.Equal("hello, world!", tok.Decode(tok.Encode("Hello, World!"), skipSpecialTokens: true));
        Assert.Equal("[CLS] hello, world! [SEP]", tok.Decode(tok.Encode("Hello, World!")));
        Assert.Equal("unbelievable tokenizers.", tok.Decode(tok.Encode("Unbelievable tokenizers."), skipSpecialTokens: true));
        Assert.Equal("fine -", tok.Decode(tok.Encode("Fine-tune"), skipSpecialTokens: true)); // [UNK] is a special added token
        Assert.Equal("[CLS] fine - [UNK] [SEP]", tok.Decode(tok.Encode("Fine-tune")));
    }

    [Fact]
    public void Pairs_get_type_ids()
    {
        var pair = tok.EncodePair("Hello", "world!");
        Assert.Equal(new[] { Cls, 24, Sep, 25, 7, Sep }, pair.Ids);
        Assert.Equal(new[] { 0, 0, 0, 1, 1, 1 }, pair.TypeIds);
        Assert.Equal(new[] { (0, 0), (0, 5), (0, 0), (0, 5), (5, 6), (0, 0) }, pair.Offsets);
        var batch = tok.EncodeBatch(["Hello", "the cafe"], ["world!", "is great"], new EncodeOptions());
        Assert.Equal(new[] { Cls, 24, Sep, 25, 7, Sep, 0 }, batch.InputIds[0]);
        Assert.Equal(new[] { 0, 0, 0, 1, 1, 1, 0 }, batch.TokenTypeIds[0]);
        Assert.Equal(new[] { Cls, 10, 12, Sep, 22, 23, Sep }, batch.InputIds[1]);
    }

    [Fact]
    public void Truncation_keeps_room_for_cls_and_sep()
    {
        var right = tok.EncodeBatch(["Playing played plays xyz"], new EncodeOptions { Truncation = true, MaxLength = 5 });
        Assert.Equal(new[] { Cls, 17, 18, 17, Sep }, right.InputIds[0]);
        var left = tok.EncodeBatch(["Playing played plays xyz"], new EncodeOptions { Truncation = true, MaxLength = 5, TruncationSide = Side.Left });
        Assert.Equal(new[] { Cls, 17, 16, Unk, Sep }, left.InputIds[0]);
        var pair = tok.EncodeBatch(["Playing played"], ["plays xyz"], new EncodeOptions { Truncation = true, MaxLength = 7 });
        Assert.Equal(new[] { Cls, 17, 18, Sep, 17, 16, Sep }, pair.InputIds[0]); // longest_first: 4+3 tokens into 4 -> 2+2
    }

    [Fact]
    public void Bert_processing_gives_the_same_ids_as_the_template()
    {
        var json = ReadJson(WordPieceDir);
        json["post_processor"] = JsonNode.Parse("""{"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}""");
        var bert = LoadModified(json, ReadJson(WordPieceDir, "tokenizer_config.json"));
        Assert.Equal(tok.Encode("Hello, World!"), bert.Encode("Hello, World!"));
        Assert.Equal(tok.EncodePair("Hello", "world!"), bert.EncodePair("Hello", "world!"), new TokenizedTextComparer());
    }

    [Fact]
    public void Config_values()
    {
        Assert.Equal(41, tok.VocabSize);
        Assert.Equal(0, tok.PadTokenId);
        Assert.Equal(Unk, tok.UnkTokenId);
        Assert.Equal(512, tok.ModelMaxLength);
        Assert.Null(tok.ChatTemplate);
    }

    sealed class TokenizedTextComparer : IEqualityComparer<TokenizedText>
    {
        public bool Equals(TokenizedText? x, TokenizedText? y) =>
            x!.Ids.SequenceEqual(y!.Ids) && x.TypeIds.SequenceEqual(y.TypeIds) && x.Offsets.SequenceEqual(y.Offsets);
        public int GetHashCode(TokenizedText obj) => obj.Ids.Length;
    }
}
