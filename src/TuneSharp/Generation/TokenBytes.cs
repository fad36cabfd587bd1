using System.Text;
using TuneSharp.Tokenization;

namespace TuneSharp.Generation;

/// <summary>The text and raw UTF-8 bytes of one token, as OpenAI's logprobs report them.</summary>
public static class TokenBytes
{
    /// <summary>
    /// A byte-level token that holds part of a character decodes to U+FFFD; its bytes are then read from the
    /// byte-level alphabet instead. Other tokens are their decoded text.
    /// </summary>
    public static (string Text, byte[] Bytes) Of(HfTokenizer tokenizer, int id)
    {
        var text = tokenizer.Decode([id]);
        if (text.Contains('\uFFFD', StringComparison.Ordinal) && tokenizer.IdToToken(id) is { } raw
            && raw.All(ByteLevelAlphabet.CharToByte.ContainsKey))
            return (text, raw.Select(c => ByteLevelAlphabet.CharToByte[c]).ToArray());
        return (text, Encoding.UTF8.GetBytes(text));
    }
}
