using System.Text;

namespace TuneSharp.IO;

/// <summary>
/// The two JSON dialects Hugging Face writes, reproduced byte for byte so that saved files match theirs:
/// compact serde_json (safetensors headers: raw UTF-8, only '"', '\' and control characters escaped) and
/// Python's <c>json.dumps(indent=2, sort_keys=True)</c> (index files: ASCII only, \uXXXX for the rest).
/// </summary>
internal static class SafetensorsJson
{
    /// <summary>A JSON string literal as serde_json writes it.</summary>
    public static void SerdeString(StringBuilder sb, string s) => Quote(sb, s, asciiOnly: false);

    /// <summary>A JSON string literal as Python's json module writes it with ensure_ascii=True.</summary>
    public static void PythonString(StringBuilder sb, string s) => Quote(sb, s, asciiOnly: true);

    static void Quote(StringBuilder sb, string s, bool asciiOnly)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    // Both escape other control characters as lowercase \u00xx; Python also escapes every
                    // non-ASCII UTF-16 unit (surrogate pairs come out as two escapes, as in Python).
                    if (c < 0x20 || (asciiOnly && c > 0x7e)) sb.Append("\\u").Append(((int)c).ToString("x4"));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>Orders strings by their UTF-8 bytes, as Rust's <c>String::cmp</c> does.</summary>
    public static int CompareUtf8(string a, string b)
    {
        // Ordinal UTF-16 order equals UTF-8 byte order except between surrogates and U+E000..U+FFFF.
        var ea = Encoding.UTF8.GetBytes(a);
        var eb = Encoding.UTF8.GetBytes(b);
        return ((ReadOnlySpan<byte>)ea).SequenceCompareTo(eb);
    }
}
