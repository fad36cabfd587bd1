using System.Text.RegularExpressions;

namespace TuneSharp.Data.Pii;

/// <summary>
/// The text side of model-based name detection: the words a token classifier tags, and the character spans of
/// the PER entities in its tags. Kept apart from the model so that the mapping is a pure function.
/// </summary>
public static partial class PersonSpans
{
    // NER training data (CoNLL-2003, WikiANN) splits punctuation from words, so "Smith," is tagged as "Smith"
    // and ","; an apostrophe or hyphen inside a word (O'Brien, Jean-Luc) keeps it whole.
    [GeneratedRegex(@"[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Word();

    /// <summary>The words of <paramref name="text"/> as (start, end) offsets: letter/digit runs and single punctuation marks.</summary>
    public static IReadOnlyList<(int Start, int End)> Words(string text) =>
        [.. Word().Matches(text).Select(m => (m.Index, m.Index + m.Length))];

    /// <summary>
    /// True for a person tag: PER or PERSON, bare (IO tagging) or after a B-, I-, E-, S-, L- or U- prefix
    /// (BIO, BIOES, BILOU), in any case.
    /// </summary>
    public static bool IsPersonTag(string tag)
    {
        var t = tag.Length > 2 && tag[1] == '-' && "BIESLU".Contains(char.ToUpperInvariant(tag[0])) ? tag[2..] : tag;
        return t.Equals("PER", StringComparison.OrdinalIgnoreCase) || t.Equals("PERSON", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The PER entities of one text: consecutive person-tagged words form one span from the first word's start
    /// to the last word's end, and a B- (or S-/U-) tag starts a new one, as seqeval reads BIO. An I- tag after a
    /// non-person word also starts an entity (a model's slip should not leak the name).
    /// </summary>
    public static IReadOnlyList<PiiFinding> FromWordTags(string text, IReadOnlyList<(int Start, int End)> words, IReadOnlyList<string> tags)
    {
        if (words.Count != tags.Count) throw new ArgumentException($"{words.Count} words but {tags.Count} tags", nameof(tags));
        var found = new List<PiiFinding>();
        int start = -1, end = -1;
        for (int w = 0; w <= words.Count; w++)
        {
            bool person = w < words.Count && IsPersonTag(tags[w]);
            bool begins = person && tags[w].Length > 2 && "BSU".Contains(char.ToUpperInvariant(tags[w][0])) && tags[w][1] == '-';
            if (start >= 0 && (!person || begins))
            {
                found.Add(new PiiFinding(PiiType.Person, start, end - start, text[start..end]));
                start = -1;
            }
            if (!person) continue;
            if (start < 0) start = words[w].Start;
            end = words[w].End;
        }
        return found;
    }
}
