using System.Security.Cryptography;

namespace TuneSharp.Data.Fetch;

/// <summary>npm's Subresource-Integrity strings ("sha512-" + base64 of the tarball's SHA-512).</summary>
public static class NpmIntegrity
{
    /// <summary>The integrity string of the file at <paramref name="path"/>.</summary>
    public static string Compute(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha512-" + Convert.ToBase64String(SHA512.HashData(stream));
    }

    /// <summary>Throws a <see cref="UserError"/> naming the file unless its integrity is <paramref name="expected"/>.</summary>
    public static void Verify(string path, string expected)
    {
        var actual = Compute(path);
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
            throw new UserError($"{path}: integrity check failed: expected {expected}, got {actual}. " +
                                "The download is corrupt or not the pinned version; delete the file and fetch again");
    }
}
