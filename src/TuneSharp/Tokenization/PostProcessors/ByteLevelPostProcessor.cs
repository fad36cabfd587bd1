using TuneSharp.Tokenization.Models;

namespace TuneSharp.Tokenization.PostProcessors;

/// <summary>
/// "ByteLevel" post-processor: with trim_offsets, a token's offsets leave out its leading and
/// trailing spaces ("Ġworld" points at "world"), except the one space add_prefix_space put in front
/// of the first token, which HF keeps.
/// </summary>
internal sealed class ByteLevelPostProcessor(bool trimOffsets, bool addPrefixSpace) : PostProcessor
{
    static readonly char Space = ByteLevelAlphabet.ByteToChar[' '];

    public override void AdjustOffsets(List<ModelToken> sequence, Func<int, string?> tokenText)
    {
        if (!trimOffsets) return;
        for (int i = 0; i < sequence.Count; i++)
        {
            var t = sequence[i];
            var text = tokenText(t.Id);
            if (string.IsNullOrEmpty(text)) continue;
            int leading = 0, trailing = 0;
            while (leading < text.Length && IsSpace(text[leading])) leading++;
            while (trailing < text.Length && IsSpace(text[^(trailing + 1)])) trailing++;
            int start = t.Start, end = t.End;
            if (leading > 0)
            {
                if ((i == 0 || start == 0) && addPrefixSpace && leading == 1) leading = 0;
                start = Math.Min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing) end = Math.Max(end - trailing, start);
            sequence[i] = t with { Start = start, End = end };
        }
    }

    static bool IsSpace(char c) => c == Space || char.IsWhiteSpace(c);
}
