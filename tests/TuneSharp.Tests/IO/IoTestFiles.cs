using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace TuneSharp.Tests.IO;

/// <summary>A temporary folder, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tunesharp-io-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Hand-made safetensors bytes for the bad-input tests, and an independent header reader for the fixture tests.</summary>
public static class RawSafetensors
{
    /// <summary>Writes 8-byte length (or <paramref name="lengthOverride"/>), the header text as UTF-8, then the data.</summary>
    public static void Write(string path, string header, byte[] data, ulong? lengthOverride = null)
        => WriteBytes(path, Encoding.UTF8.GetBytes(header), data, lengthOverride);

    public static void WriteBytes(string path, byte[] header, byte[] data, ulong? lengthOverride = null)
    {
        using var f = System.IO.File.Create(path);
        Span<byte> n = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(n, lengthOverride ?? (ulong)header.Length);
        f.Write(n);
        f.Write(header);
        f.Write(data);
    }

    /// <summary>Name → (dtype, shape, begin, end), parsed with System.Text.Json.Nodes, no TuneSharp code.</summary>
    public static Dictionary<string, (string DType, long[] Shape, long Begin, long End)> ReadHeader(string path, out long dataStart)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        dataStart = 8 + n;
        var root = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)n))!.AsObject();
        var result = new Dictionary<string, (string, long[], long, long)>();
        foreach (var (name, node) in root)
        {
            if (name == "__metadata__") continue;
            var shape = node!["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            var off = node["data_offsets"]!.AsArray();
            result[name] = (node["dtype"]!.GetValue<string>(), shape, off[0]!.GetValue<long>(), off[1]!.GetValue<long>());
        }
        return result;
    }

    /// <summary>Every .safetensors file of the shared fixtures.</summary>
    public static IEnumerable<object[]> FixtureFiles() =>
        Directory.EnumerateFiles(Fixtures.HfTiny(""), "*.safetensors", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(p => new object[] { System.IO.Path.GetRelativePath(Fixtures.HfTiny(""), p) });
}

/// <summary>Exact tensor comparison: same dtype, shape and values (torch.equal), and the same raw bytes.</summary>
public static class TensorAssert
{
    public static void Identical(TorchSharp.torch.Tensor expected, TorchSharp.torch.Tensor actual, string what)
    {
        Assert.True(expected.dtype == actual.dtype, $"{what}: dtype {expected.dtype} vs {actual.dtype}");
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{what}: shape differs");
        Assert.True(expected.Equals(actual), $"{what}: values differ"); // Tensor.Equals(Tensor) is torch.equal
        using var a = expected.contiguous();
        using var b = actual.contiguous();
        Assert.True(a.bytes.SequenceEqual(b.bytes), $"{what}: bytes differ");
    }
}
