using TuneSharp.Text.Unicode;

namespace TuneSharp.Tokenization.Normalizers;

/// <summary>
/// HF's "BertNormalizer", step by step as in the original: clean_text (drop NUL, U+FFFD and control
/// characters, map whitespace to ' '), spaces around CJK ideographs, strip accents (NFD, then drop
/// nonspacing marks; by default whenever lowercasing), lowercase.
/// </summary>
internal sealed class BertNormalizer(bool cleanText, bool handleChineseChars, bool? stripAccents, bool lowercase) : Normalizer
{
    public override NormalizedText Normalize(NormalizedText text)
    {
        if (cleanText)
            text = text.MapRunes(r => r.Value is 0 or 0xFFFD || CharClasses.IsBertControl(r.Value) ? ""
                : CharClasses.IsWhitespace(r.Value) ? " " : r.ToString());
        if (handleChineseChars)
            text = text.MapRunes(r => CharClasses.IsChineseChar(r.Value) ? $" {r} " : r.ToString());
        if (stripAccents ?? lowercase)
            text = new UnicodeFormNormalizer(nfc: false).Normalize(text).MapRunes(RuneNormalizer.StripAccents);
        if (lowercase)
            text = text.MapRunes(RuneNormalizer.Lowercase);
        return text;
    }
}
