using System.Globalization;
using System.Text;
using TuneSharp.Text.Unicode;

namespace TuneSharp.Tokenization.Normalizers;

/// <summary>Normalizers that rewrite one code point at a time ("Lowercase", "StripAccents").</summary>
internal sealed class RuneNormalizer(Func<Rune, string> map) : Normalizer
{
    /// <summary>Per-character lowercase, as HF does (no context rules such as the final sigma).</summary>
    public static string Lowercase(Rune r) => Rune.ToLowerInvariant(r).ToString();

    /// <summary>Drops nonspacing marks (HF's StripAccents; meant to follow NFD).</summary>
    public static string StripAccents(Rune r) =>
        Rune.GetUnicodeCategory(r) == UnicodeCategory.NonSpacingMark ? "" : r.ToString();

    public override NormalizedText Normalize(NormalizedText text) => text.MapRunes(map);
}

/// <summary>"NFD" and "NFC" (canonical normal forms).</summary>
internal sealed class UnicodeFormNormalizer(bool nfc) : Normalizer
{
    public override NormalizedText Normalize(NormalizedText text) =>
        text.MapTextElements(nfc ? UnicodeNormalizer.ToNfc : UnicodeNormalizer.ToNfd);
}
