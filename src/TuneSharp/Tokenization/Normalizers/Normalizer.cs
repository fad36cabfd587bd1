namespace TuneSharp.Tokenization.Normalizers;

/// <summary>The "normalizer" step of tokenizer.json: rewrites text before pre-tokenization, keeping alignments.</summary>
internal abstract class Normalizer
{
    public abstract NormalizedText Normalize(NormalizedText text);

    /// <summary>Normalizes a plain string (for the content of normalized added tokens).</summary>
    public string Normalize(string text) => Normalize(NormalizedText.FromOriginal(text)).Text;

    /// <summary>Builds the normalizer of a tokenizer.json section; null when the section is null.</summary>
    public static Normalizer? FromJson(JsonSection? section)
    {
        if (section is not { } s) return null;
        return s.Type("BertNormalizer", "Lowercase", "NFD", "NFC", "StripAccents", "Sequence") switch
        {
            "BertNormalizer" => new BertNormalizer(
                s.Bool("clean_text", true), s.Bool("handle_chinese_chars", true), s.OptBool("strip_accents"), s.Bool("lowercase", true)),
            "Lowercase" => new RuneNormalizer(RuneNormalizer.Lowercase),
            "StripAccents" => new RuneNormalizer(RuneNormalizer.StripAccents),
            "NFD" => new UnicodeFormNormalizer(nfc: false),
            "NFC" => new UnicodeFormNormalizer(nfc: true),
            _ => new SequenceNormalizer(s.Objects("normalizers").Select(n => FromJson(n)!).ToArray()),
        };
    }
}

/// <summary>"Sequence": normalizers applied in order.</summary>
internal sealed class SequenceNormalizer(Normalizer[] steps) : Normalizer
{
    public override NormalizedText Normalize(NormalizedText text)
    {
        foreach (var step in steps) text = step.Normalize(text);
        return text;
    }
}
