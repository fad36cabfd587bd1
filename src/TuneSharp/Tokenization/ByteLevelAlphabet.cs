namespace TuneSharp.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-character table: printable bytes stand for themselves, the others
/// (controls, space, ...) for the characters from U+0100 on, so every byte has a visible character.
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The character for each byte.</summary>
    public static readonly char[] ByteToChar = Build();

    /// <summary>The byte for each character of the table.</summary>
    public static readonly Dictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    static char[] Build()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is (>= 33 and <= 126) or (>= 161 and <= 172) or (>= 174 and <= 255);
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }
}
