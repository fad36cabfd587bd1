using TuneSharp.Data.Pii;

namespace TuneSharp.Tests.Data.Pii;

public class PersonSpansTests
{
    static IReadOnlyList<string> WordTexts(string text) => [.. PersonSpans.Words(text).Select(w => text[w.Start..w.End])];

    static IReadOnlyList<string> Names(string text, params string[] tags) =>
        [.. PersonSpans.FromWordTags(text, PersonSpans.Words(text), tags).Select(f => f.Original)];

    [Fact]
    public void Words_split_punctuation_off_as_ner_data_does_and_keep_inner_apostrophes_and_hyphens()
    {
        Assert.Equal(["Hi", "Jean-Luc", ",", "ask", "O'Brien", "(", "Zoë", ")", "."], WordTexts("Hi Jean-Luc, ask O'Brien (Zoë)."));
        Assert.Empty(PersonSpans.Words(" \n "));
    }

    [Fact]
    public void Bio_tags_become_one_span_per_entity_from_first_word_start_to_last_word_end()
    {
        Assert.Equal(["Mary Ann Smith", "Bob"], Names("Mary Ann Smith met Bob.", "B-PER", "I-PER", "I-PER", "O", "B-PER", "O"));
        // B- after I- starts a second person; LOC and ORG tags are not names.
        Assert.Equal(["Alice", "Bob"], Names("Alice Bob Paris", "B-PER", "B-PER", "B-LOC"));
    }

    [Fact]
    public void Io_bioes_and_stray_inside_tags_are_read_as_person_spans()
    {
        Assert.Equal(["Ada Lovelace"], Names("Ada Lovelace wrote", "PER", "PER", "O"));
        Assert.Equal(["Ada Lovelace", "Tim"], Names("Ada Lovelace and Tim", "B-PER", "E-PER", "O", "S-PER"));
        Assert.Equal(["Lovelace"], Names("Ms Lovelace", "O", "I-PER"));       // a model's slip must not leak the name
        Assert.Equal(["Grace"], Names("Grace", "b-person"));
    }

    [Fact]
    public void Person_tags_are_per_and_person_under_any_scheme_prefix()
    {
        Assert.All(new[] { "PER", "B-PER", "I-PER", "E-PER", "S-PER", "L-PER", "U-PER", "PERSON", "B-PERSON", "i-per" }, t => Assert.True(PersonSpans.IsPersonTag(t), t));
        Assert.All(new[] { "O", "B-LOC", "PERCENT", "B-PERCENT", "X-PER", "PE" }, t => Assert.False(PersonSpans.IsPersonTag(t), t));
    }

    [Fact]
    public void Word_and_tag_counts_must_agree()
    {
        Assert.Throws<ArgumentException>(() => PersonSpans.FromWordTags("a b", PersonSpans.Words("a b"), ["O"]));
    }
}
