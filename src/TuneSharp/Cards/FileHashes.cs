using System.Security.Cryptography;
using System.Text;

namespace TuneSharp.Cards;

/// <summary>SHA-256 digests of files and of model folders, as lowercase hex.</summary>
public static class FileHashes
{
    /// <summary>Files of a model folder that describe it rather than make it up: rewriting a card changes no weights.</summary>
    public static readonly IReadOnlySet<string> DescriptiveFiles = new HashSet<string>(StringComparer.Ordinal) { "README.md", LineageFile.Name };

    /// <summary>SHA-256 of a file's bytes, streamed.</summary>
    public static string File(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// SHA-256 over the folder's files (sub-folders included, <see cref="DescriptiveFiles"/> left out): one line
    /// "relative/path SP sha256 LF" per file in ordinal path order, so the digest changes when any byte, name or
    /// file count changes, and not with file dates or listing order.
    /// </summary>
    public static (string Sha256, int Files) Folder(string dir)
    {
        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Where(f => !DescriptiveFiles.Contains(f))
            .Order(StringComparer.Ordinal).ToList();
        var manifest = new StringBuilder();
        foreach (var f in files) manifest.Append(f).Append(' ').Append(File(Path.Combine(dir, f))).Append('\n');
        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest.ToString()))), files.Count);
    }
}
