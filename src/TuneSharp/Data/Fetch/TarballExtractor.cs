using System.Formats.Tar;
using System.IO.Compression;

namespace TuneSharp.Data.Fetch;

/// <summary>Unpacks .tgz files (npm tarballs) with System.Formats.Tar, refusing entries that escape the target.</summary>
public static class TarballExtractor
{
    /// <summary>
    /// Extracts <paramref name="tgz"/> into <paramref name="destination"/>. The contents go to a temporary folder
    /// first and are renamed into place, so an interrupted extraction never looks complete.
    /// </summary>
    public static void Extract(string tgz, string destination)
    {
        var full = Path.GetFullPath(destination);
        var temp = full + $".{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(temp);
        try
        {
            using (var file = File.OpenRead(tgz))
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            using (var tar = new TarReader(gzip))
            {
                TarEntry? entry;
                while ((entry = tar.GetNextEntry()) != null)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                    var target = Path.GetFullPath(Path.Combine(temp, entry.Name));
                    if (!target.StartsWith(temp + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        throw new UserError($"{tgz}: entry '{entry.Name}' would be written outside the extraction folder");
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    entry.ExtractToFile(target, overwrite: true);
                }
            }
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            Directory.Move(temp, full);
        }
        catch (InvalidDataException e)
        {
            throw new UserError($"{tgz}: not a valid .tgz archive: {e.Message}", e);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }
}
