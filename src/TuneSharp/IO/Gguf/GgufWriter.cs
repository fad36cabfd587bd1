using System.Text;

namespace TuneSharp.IO.Gguf;

/// <summary>
/// Writes a GGUF v3 file (ggml's docs/gguf.md), little-endian:
/// <code>
/// "GGUF" | version u32 = 3 | tensor_count u64 | kv_count u64
/// kv_count × (key string, value_type u32, value)            strings are u64 length + UTF-8 bytes
/// tensor_count × (name string, n_dims u32, ne[n_dims] u64, ggml_type u32, offset u64)
/// zero padding to general.alignment, then each tensor's data at its offset (a multiple of the alignment,
/// relative to the start of the data section), zero-padded to the alignment.
/// </code>
/// Dimensions are stored innermost first (ggml's ne): a PyTorch (rows, cols) weight is written as ne = [cols, rows]
/// with the same row-major bytes. Tensor data is produced one tensor at a time by a callback, so a model is never
/// held twice in memory.
/// </summary>
public sealed class GgufWriter
{
    public const uint Magic = 0x46554747; // "GGUF" read as a little-endian u32
    public const uint Version = 3;
    /// <summary>The alignment readers assume when general.alignment is absent.</summary>
    public const int DefaultAlignment = 32;

    readonly List<GgufMetadata> metadata = [];
    readonly List<(string Name, long[] Shape, GgufTensorType Type, Func<byte[]> Data)> tensors = [];
    readonly HashSet<string> keys = [];
    readonly HashSet<string> names = [];

    public int Alignment { get; }

    public GgufWriter(int alignment = DefaultAlignment)
    {
        if (alignment <= 0 || alignment % 8 != 0) throw new ArgumentOutOfRangeException(nameof(alignment), "must be a positive multiple of 8");
        Alignment = alignment;
        if (alignment != DefaultAlignment) Add(new GgufMetadata("general.alignment", GgufValueType.UInt32, (uint)alignment));
    }

    public IReadOnlyList<GgufMetadata> Metadata => metadata;

    public void Add(GgufMetadata kv)
    {
        if (!keys.Add(kv.Key)) throw new InvalidOperationException($"duplicate GGUF key {kv.Key}");
        metadata.Add(kv);
    }

    public void Add(string key, string value) => Add(new GgufMetadata(key, GgufValueType.String, value));
    public void Add(string key, uint value) => Add(new GgufMetadata(key, GgufValueType.UInt32, value));
    public void Add(string key, float value) => Add(new GgufMetadata(key, GgufValueType.Float32, value));
    public void Add(string key, bool value) => Add(new GgufMetadata(key, GgufValueType.Bool, value));
    public void Add(string key, string[] values) => Add(new GgufMetadata(key, GgufValueType.Array, values, GgufValueType.String));
    public void Add(string key, int[] values) => Add(new GgufMetadata(key, GgufValueType.Array, values, GgufValueType.Int32));

    /// <summary>
    /// Adds a tensor of PyTorch shape <paramref name="shape"/> (outermost first); <paramref name="data"/> returns its
    /// bytes in <paramref name="type"/>'s layout when the data section is written.
    /// </summary>
    public void AddTensor(string name, long[] shape, GgufTensorType type, Func<byte[]> data)
    {
        if (!names.Add(name)) throw new InvalidOperationException($"duplicate GGUF tensor {name}");
        if (type == GgufTensorType.Q8_0 && shape[^1] % Q8_0.BlockSize != 0)
            throw new ArgumentException($"{name}: rows of {shape[^1]} are not a multiple of {Q8_0.BlockSize} for Q8_0");
        tensors.Add((name, shape, type, data));
    }

    /// <summary>Writes the file atomically (temp file, then rename).</summary>
    public void Write(string path) => AtomicFile.Write(path, Write);

    public void Write(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        w.Write((ulong)tensors.Count);
        w.Write((ulong)metadata.Count);
        foreach (var kv in metadata)
        {
            WriteString(w, kv.Key);
            w.Write((uint)kv.Type);
            WriteValue(w, kv);
        }
        var sizes = tensors.Select(t => t.Type.ByteSize(t.Shape.Aggregate(1L, (a, b) => a * b))).ToArray();
        long offset = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var (name, shape, type, _) = tensors[i];
            WriteString(w, name);
            w.Write((uint)shape.Length);
            for (int d = shape.Length - 1; d >= 0; d--) w.Write((ulong)shape[d]);
            w.Write((uint)type);
            w.Write((ulong)offset);
            offset += Pad(sizes[i]);
        }
        w.Flush();
        WritePadding(w, stream.Position);
        for (int i = 0; i < tensors.Count; i++)
        {
            var bytes = tensors[i].Data();
            if (bytes.Length != sizes[i])
                throw new InvalidOperationException($"{tensors[i].Name}: {bytes.Length} bytes, expected {sizes[i]}");
            w.Write(bytes);
            w.Write(new byte[Pad(sizes[i]) - sizes[i]]);
        }
        w.Flush();
    }

    long Pad(long n) => (n + Alignment - 1) / Alignment * Alignment;

    void WritePadding(BinaryWriter w, long position) => w.Write(new byte[Pad(position) - position]);

    static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    static void WriteValue(BinaryWriter w, GgufMetadata kv)
    {
        switch (kv.Type, kv.Value)
        {
            case (GgufValueType.String, string s): WriteString(w, s); break;
            case (GgufValueType.UInt32, uint u): w.Write(u); break;
            case (GgufValueType.Int32, int i): w.Write(i); break;
            case (GgufValueType.Float32, float f): w.Write(f); break;
            case (GgufValueType.Bool, bool b): w.Write((byte)(b ? 1 : 0)); break;
            case (GgufValueType.Array, string[] strings):
                w.Write((uint)GgufValueType.String);
                w.Write((ulong)strings.Length);
                foreach (var s in strings) WriteString(w, s);
                break;
            case (GgufValueType.Array, int[] ints):
                w.Write((uint)GgufValueType.Int32);
                w.Write((ulong)ints.Length);
                foreach (var i in ints) w.Write(i);
                break;
            case (GgufValueType.Array, float[] floats):
                w.Write((uint)GgufValueType.Float32);
                w.Write((ulong)floats.Length);
                foreach (var f in floats) w.Write(f);
                break;
            default: throw new InvalidOperationException($"{kv.Key}: unsupported value {kv.Type} {kv.Value.GetType().Name}");
        }
    }
}
