using System.Security.Cryptography;
using System.Text;

namespace TuneSharp.Data.Validation;

/// <summary>
/// A 128-bit hash of an example's normalized content: Unicode NFKC, lower case, runs of whitespace collapsed
/// to one space, trimmed. Two examples that differ only in case or spacing hash equal.
/// </summary>
public static class ContentHash
{
    /// <summary>The normalized form that is hashed.</summary>
    public static string Normalize(string text)
    {
        var nfkc = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(nfkc.Length);
        bool space = false;
        foreach (char c in nfkc)
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>The first 16 bytes of SHA-256 over the UTF-8 of <see cref="Normalize"/>.</summary>
    public static UInt128 Of(string text)
    {
        var normalized = Normalize(text);
        int max = Encoding.UTF8.GetMaxByteCount(normalized.Length);
        byte[]? rented = max > 4096 ? System.Buffers.ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> buffer = rented ?? stackalloc byte[max];
        try
        {
            int n = Encoding.UTF8.GetBytes(normalized, buffer);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer[..n], hash);
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
        }
        finally
        {
            if (rented != null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
