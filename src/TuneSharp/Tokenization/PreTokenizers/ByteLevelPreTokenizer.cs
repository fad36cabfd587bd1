using System.Text;
using System.Text.RegularExpressions;

namespace TuneSharp.Tokenization.PreTokenizers;

/// <summary>
/// "ByteLevel": optionally adds a leading space, optionally splits with the GPT-2 word regex, then
/// rewrites every piece as its UTF-8 bytes in <see cref="ByteLevelAlphabet"/> characters. Each byte
/// keeps the alignment of the character it came from, so offsets still point at whole characters.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : PreTokenizer
{
    /// <summary>GPT-2's pattern, as HF ByteLevel uses it (valid .NET syntax as it stands).</summary>
    internal static readonly Regex Gpt2Pattern = new(
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", SplitPreTokenizer.Options);

    public override IEnumerable<NormalizedText> Split(NormalizedText piece)
    {
        if (addPrefixSpace && !piece.Text.StartsWith(' ')) piece = piece.Prepend(" ");
        var pieces = useRegex
            ? Splitter.Apply(piece, SplitPreTokenizer.Matches(Gpt2Pattern, piece.Text), SplitBehavior.Isolated, false)
            : [piece];
        return pieces.Select(ToBytes);
    }

    internal static NormalizedText ToBytes(NormalizedText piece)
    {
        var b = new NormalizedText.Builder(piece.Length * 2);
        Span<byte> utf8 = stackalloc byte[4];
        int i = 0;
        foreach (var rune in piece.Text.EnumerateRunes())
        {
            int n = rune.Utf16SequenceLength;
            int count = rune.EncodeToUtf8(utf8);
            for (int k = 0; k < count; k++) b.Append(ByteLevelAlphabet.ByteToChar[utf8[k]], piece.StartOf(i), piece.EndOf(i + n - 1));
            i += n;
        }
        return b.Build();
    }
}
