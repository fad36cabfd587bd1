using System.Security.Cryptography;
using System.Text;

namespace TuneSharp.Data.Dedup;

/// <summary>
/// Exact duplicates on <see cref="DuplicateKey"/> (NFKC, lower case, whitespace runs collapsed, trimmed),
/// then SHA-256 of the UTF-8 bytes. Only the 32-byte digests are kept in memory.
/// </summary>
public sealed class ExactDuplicateIndex
{
    readonly Dictionary<Digest, object?> seen = [];

    /// <summary>Number of distinct keys seen.</summary>
    public int Count => seen.Count;

    /// <summary>SHA-256 of the normalized key, as lower-case hex.</summary>
    public static string KeyHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DuplicateKey.Of(text))));

    /// <summary>
    /// Adds the text and returns (true, null) when its key is new; otherwise returns (false, tag of the first).
    /// </summary>
    public (bool IsNew, object? FirstTag) Add(string text, object? tag = null)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(DuplicateKey.Of(text)), hash);
        var digest = new Digest(
            BitConverter.ToUInt64(hash[..8]), BitConverter.ToUInt64(hash[8..16]),
            BitConverter.ToUInt64(hash[16..24]), BitConverter.ToUInt64(hash[24..]));
        if (seen.TryGetValue(digest, out var first)) return (false, first);
        seen[digest] = tag;
        return (true, null);
    }

    readonly record struct Digest(ulong A, ulong B, ulong C, ulong D);
}
