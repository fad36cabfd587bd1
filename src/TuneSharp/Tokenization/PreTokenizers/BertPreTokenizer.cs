using TuneSharp.Text.Unicode;

namespace TuneSharp.Tokenization.PreTokenizers;

/// <summary>"BertPreTokenizer": splits on whitespace (dropped) and isolates every punctuation character.</summary>
internal sealed class BertPreTokenizer : PreTokenizer
{
    public override IEnumerable<NormalizedText> Split(NormalizedText piece)
    {
        foreach (var word in Splitter.Apply(piece, CharRanges(piece.Text, CharClasses.IsWhitespace), SplitBehavior.Removed, false))
            foreach (var part in Splitter.Apply(word, CharRanges(word.Text, CharClasses.IsPunctuation), SplitBehavior.Isolated, false))
                yield return part;
    }

    /// <summary>One range per code point that satisfies <paramref name="test"/>.</summary>
    internal static IEnumerable<(int, int)> CharRanges(string text, Func<int, bool> test)
    {
        int i = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (test(rune.Value)) yield return (i, i + rune.Utf16SequenceLength);
            i += rune.Utf16SequenceLength;
        }
    }
}
