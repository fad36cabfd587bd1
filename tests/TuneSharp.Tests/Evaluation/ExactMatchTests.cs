using TuneSharp.Evaluation;

namespace TuneSharp.Tests.Evaluation;

public class ExactMatchTests
{
    // Hugging Face datasets/evaluate metrics/exact_match docstring examples (results printed as percentages).
    static readonly string[] Refs = ["the cat", "theater", "YELLING", "agent007"];
    static readonly string[] Preds = ["cat?", "theater", "yelling", "agent"];

    [Fact]
    public void MatchesHuggingFaceExamples()
    {
        // no options -> 25.0
        Assert.Equal(0.25, ExactMatch.Score(Preds, Refs));
        // regexes_to_ignore=["the ", "yell"], ignore_case, ignore_punctuation -> 50.0
        Assert.Equal(0.5, ExactMatch.Score(Preds, Refs,
            new ExactMatchOptions(IgnoreCase: true, IgnorePunctuation: true, RegexesToIgnore: ["the ", "yell"])));
        // regexes_to_ignore=["the ", "yell", "YELL"], ignore_case, ignore_punctuation -> 75.0
        Assert.Equal(0.75, ExactMatch.Score(Preds, Refs,
            new ExactMatchOptions(IgnoreCase: true, IgnorePunctuation: true, RegexesToIgnore: ["the ", "yell", "YELL"])));
        // ... plus ignore_numbers -> 100.0
        Assert.Equal(1.0, ExactMatch.Score(Preds, Refs,
            new ExactMatchOptions(IgnoreCase: true, IgnorePunctuation: true, IgnoreNumbers: true, RegexesToIgnore: ["the ", "yell", "YELL"])));
        // sentence example -> 33.3
        Assert.Equal(1.0 / 3, ExactMatch.Score(
            ["The cat sat on the mat?", "Theaters are great.", "It's like comparing apples and oranges."],
            ["The cat sat on the mat.", "Theaters are great.", "It's like comparing oranges and apples."]), 12);
    }

    [Fact]
    public void TrimAndLowercase()
    {
        // Not in the reference: Trim is TuneSharp's own option (strip surrounding whitespace).
        Assert.Equal(0.0, ExactMatch.Score([" Paris\n"], ["paris"]));
        Assert.Equal(1.0, ExactMatch.Score([" Paris\n"], ["paris"], new ExactMatchOptions(Trim: true, IgnoreCase: true)));
        Assert.Equal("exact_match|trim:yes|case:lc|punct:kept|digits:kept|regexes:0",
            new ExactMatchOptions(Trim: true, IgnoreCase: true).Settings);
    }

    [Fact]
    public void BadInputIsAUserError()
    {
        Assert.Throws<UserError>(() => ExactMatch.Score(["a"], ["a", "b"]));
        Assert.Throws<UserError>(() => ExactMatch.Score([], []));
        var e = Assert.Throws<UserError>(() => ExactMatch.Score(["a"], ["a"], new ExactMatchOptions(RegexesToIgnore: ["("])));
        Assert.Contains("regex '(' is invalid", e.Message);
    }
}
