using System.Text.Json.Nodes;
using TuneSharp.Text.Unicode;

namespace TuneSharp.Tests.Text;

public class UnicodeNormalizerTests
{
    [Fact]
    public void Nfc_composes_but_keeps_compatibility_characters()
    {
        Assert.Equal("\u00E9", UnicodeNormalizer.ToNfc("e\u0301"));      // e + combining acute → é
        Assert.Equal("\uFB01le \u2460", UnicodeNormalizer.ToNfc("\uFB01le \u2460")); // ﬁ and ① stay
        Assert.Equal("\u00C5", UnicodeNormalizer.ToNfc("\u212B"));       // Angstrom sign → Å (canonical singleton)
        Assert.Equal("\uD55C", UnicodeNormalizer.ToNfc("\u1112\u1161\u11AB")); // Hangul jamo → 한
    }

    [Fact]
    public void Nfkc_also_folds_compatibility_characters()
    {
        Assert.Equal("file 1", UnicodeNormalizer.ToNfkc("\uFB01le \u2460"));
        Assert.Equal("ABC123", UnicodeNormalizer.ToNfkc("\uFF21\uFF22\uFF23\uFF11\uFF12\uFF13")); // full-width
        Assert.Equal("x2 a b", UnicodeNormalizer.ToNfkc("x\u00B2 a\u00A0b"));                       // superscript, NBSP
        Assert.Equal("\u00E9", UnicodeNormalizer.ToNfkc("e\u0301"));
    }

    [Fact]
    public void Ascii_is_returned_as_the_same_instance()
    {
        var s = "plain ascii text";
        Assert.Same(s, UnicodeNormalizer.ToNfc(s));
        Assert.Same(s, UnicodeNormalizer.ToNfkc(s));
    }

    /// <summary>400 random mixes (Latin, combining marks, Hangul, ligatures, full-width) against Python's unicodedata.</summary>
    [Fact]
    public void Matches_reference_vectors_from_the_unicode_database()
    {
        var path = Path.Combine(Fixtures.RepoRoot, "tests/TuneSharp.Tests/Text/normalization_vectors.jsonl");
        int n = 0;
        foreach (var line in File.ReadLines(path))
        {
            var o = JsonNode.Parse(line)!.AsObject();
            var s = (string)o["s"]!;
            Assert.Equal((string)o["nfc"]!, UnicodeNormalizer.ToNfc(s));
            Assert.Equal((string)o["nfkc"]!, UnicodeNormalizer.ToNfkc(s));
            n++;
        }
        Assert.Equal(400, n);
    }

    /// <summary>NFD (the tokenizers' normalizer) on the same 400 strings, against Python's unicodedata.</summary>
    [Fact]
    public void Nfd_matches_reference_vectors_from_the_unicode_database()
    {
        var vectors = File.ReadLines(Path.Combine(Fixtures.RepoRoot, "tests/TuneSharp.Tests/Text/nfd_vectors.jsonl"))
            .Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        Assert.Equal(400, vectors.Count);
        Assert.All(vectors, o => Assert.Equal((string)o["nfd"]!, UnicodeNormalizer.ToNfd((string)o["s"]!)));
    }
}
