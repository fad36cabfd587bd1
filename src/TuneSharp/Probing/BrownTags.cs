namespace TuneSharp.Probing;

/// <summary>
/// Brown Corpus tags reduced to their part of speech. Brown marks words in titles (-tl), headlines (-hl), cited words
/// (-nc) and foreign words (fw-) on top of the tag, which turns ~180 parts of speech into ~450 tags; those marks say
/// where the word stands, not what it is, so a POS probe drops them ("nn-tl" → "nn", "fw-in" → "in"). Contractions
/// such as "ppss+md" (I'll) keep their compound tag: they are 0.24% of words.
/// </summary>
public static class BrownTags
{
    static readonly string[] PlacementSuffixes = ["-tl", "-hl", "-nc"];

    /// <summary>The part of speech of a Brown tag, e.g. "nn-tl-hl" → "nn".</summary>
    public static string PartOfSpeech(string tag)
    {
        var t = tag.StartsWith("fw-", StringComparison.Ordinal) ? tag[3..] : tag;
        for (bool cut = true; cut;)
        {
            cut = false;
            foreach (var s in PlacementSuffixes)
                if (t.Length > s.Length && t.EndsWith(s, StringComparison.Ordinal)) { t = t[..^s.Length]; cut = true; }
        }
        return t;
    }
}
