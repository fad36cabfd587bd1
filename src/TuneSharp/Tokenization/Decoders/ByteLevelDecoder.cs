using System.Text;

namespace TuneSharp.Tokenization.Decoders;

/// <summary>
/// "ByteLevel" decoder: maps every character back to its byte and reads the bytes as UTF-8, with
/// U+FFFD for each invalid sequence (.NET's replacement follows the same "maximal subpart" rule as
/// Rust's from_utf8_lossy). A token with a character outside the byte alphabet (an added token
/// such as "hello world") contributes its own UTF-8 bytes, as in HF.
/// </summary>
internal sealed class ByteLevelDecoder : Decoder
{
    public override List<string> DecodeChain(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens)
        {
            if (token.All(ByteLevelAlphabet.CharToByte.ContainsKey))
                foreach (var c in token) bytes.Add(ByteLevelAlphabet.CharToByte[c]);
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
        }
        return [Encoding.UTF8.GetString(bytes.ToArray())];
    }
}
