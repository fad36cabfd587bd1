using TuneSharp.Probing;

namespace TuneSharp.Tests.Probing;

public sealed class BrownTagsTests
{
    [Theory]
    [InlineData("nn", "nn")]
    [InlineData("nn-tl", "nn")]
    [InlineData("nn-tl-hl", "nn")]
    [InlineData("np$-hl", "np$")]
    [InlineData("fw-in", "in")]
    [InlineData("fw-nn-tl", "nn")]
    [InlineData("ppss+md", "ppss+md")]
    [InlineData("--", "--")]
    [InlineData("-hl", "-hl")]
    public void Placement_marks_are_dropped_and_the_part_of_speech_kept(string tag, string expected) =>
        Assert.Equal(expected, BrownTags.PartOfSpeech(tag));
}
