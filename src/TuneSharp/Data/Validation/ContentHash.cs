using System.Security.Cryptography;
using System.Text;
using TuneSharp.Data.Dedup;

namespace TuneSharp.Data.Validation;

/// <summary>
/// A 128-bit hash of an example's <see cref="DuplicateKey"/> (the key <c>data clean</c> deduplicates on too).
/// Two examples that differ only in case or spacing hash equal.
/// </summary>
public static class ContentHash
{
    /// <summary>The first 16 bytes of SHA-256 over the UTF-8 of <see cref="DuplicateKey.Of"/>.</summary>
    public static UInt128 Of(string text)
    {
        var normalized = DuplicateKey.Of(text);
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
