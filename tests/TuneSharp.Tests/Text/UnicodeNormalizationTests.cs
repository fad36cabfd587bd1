using TuneSharp.Tokenization;
using TuneSharp.Tokenization.Normalizers;
using TuneSharp.Text.Unicode;

namespace TuneSharp.Tests.Text;

/// <summary>NFD/NFC done without ICU (the app runs with InvariantGlobalization) and alignments through normalizers.</summary>
public class UnicodeNormalizationTests
{
    [Fact]
    public void Nfd_and_nfc()
    {
        Assert.Equal("Cafe\u0301 n\u0303", UnicodeNormalizer.ToNfd("Café ñ"));
        Assert.Equal("Café ñ", UnicodeNormalizer.ToNfc("Cafe\u0301 n\u0303"));
        Assert.Equal("\u1112\u1161\u11AB", UnicodeNormalizer.ToNfd("한"));
        Assert.Equal("한", UnicodeNormalizer.ToNfc("\u1112\u1161\u11AB"));
        Assert.Equal("a\u0323\u0302", UnicodeNormalizer.ToNfd("a\u0302\u0323")); // canonical order: 220 before 230
        Assert.Equal("\u1EAD", UnicodeNormalizer.ToNfc("a\u0302\u0323"));        // ậ
        Assert.Equal("\u00C5", UnicodeNormalizer.ToNfc("\u212B"));               // Angstrom sign -> Å (singleton)
    }

    [Fact]
    public void Bert_normalizer_keeps_alignments()
    {
        var normalized = new BertNormalizer(true, true, null, true).Normalize(NormalizedText.FromOriginal("É\u0000x中"));
        Assert.Equal("ex 中 ", normalized.Text);
        Assert.Equal((0, 1), normalized.OriginalRange(0, 1));
        Assert.Equal((2, 3), normalized.OriginalRange(1, 2));
        Assert.Equal((3, 4), normalized.OriginalRange(3, 4));
    }
}
