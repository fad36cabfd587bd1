using System.Text;
using TuneSharp.IO.Gguf;

namespace TuneSharp.Tests.IO.Gguf;

/// <summary>
/// An independent GGUF v3 reader written from the spec (ggml docs/gguf.md), strict: it checks the magic, the version,
/// that every tensor offset is aligned and that the data section starts aligned, so the writer is tested against
/// the format rather than against itself.
/// </summary>
internal sealed class GgufTestReader
{
    public sealed record TensorInfo(string Name, ulong[] Ne, uint Type, ulong Offset);

    public uint Version { get; }
    public Dictionary<string, object> Metadata { get; } = [];
    public Dictionary<string, GgufValueType> Types { get; } = [];
    public List<TensorInfo> Tensors { get; } = [];
    public long DataStart { get; }
    public int Alignment { get; }
    readonly byte[] bytes;

    public GgufTestReader(byte[] bytes)
    {
        this.bytes = bytes;
        using var r = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var magic = r.ReadBytes(4);
        if (Encoding.ASCII.GetString(magic) != "GGUF") throw new InvalidDataException("bad magic");
        Version = r.ReadUInt32();
        ulong tensorCount = r.ReadUInt64(), kvCount = r.ReadUInt64();
        for (ulong i = 0; i < kvCount; i++)
        {
            var key = ReadString(r);
            var type = (GgufValueType)r.ReadUInt32();
            if (!Metadata.TryAdd(key, ReadValue(r, type))) throw new InvalidDataException($"duplicate key {key}");
            Types[key] = type;
        }
        Alignment = Metadata.TryGetValue("general.alignment", out var a) ? (int)(uint)a : 32;
        for (ulong i = 0; i < tensorCount; i++)
        {
            var name = ReadString(r);
            var ne = new ulong[r.ReadUInt32()];
            for (int d = 0; d < ne.Length; d++) ne[d] = r.ReadUInt64();
            var t = new TensorInfo(name, ne, r.ReadUInt32(), r.ReadUInt64());
            if (t.Offset % (ulong)Alignment != 0) throw new InvalidDataException($"{name}: offset {t.Offset} not aligned");
            Tensors.Add(t);
        }
        long pos = r.BaseStream.Position;
        DataStart = (pos + Alignment - 1) / Alignment * Alignment;
        for (long p = pos; p < DataStart; p++) if (bytes[p] != 0) throw new InvalidDataException("non-zero padding");
    }

    public static GgufTestReader Open(string path) => new(File.ReadAllBytes(path));

    public TensorInfo Tensor(string name) => Tensors.Single(t => t.Name == name);

    public ReadOnlySpan<byte> Data(string name)
    {
        var t = Tensor(name);
        long n = t.Ne.Aggregate(1L, (x, y) => x * (long)y);
        long size = ((GgufTensorType)t.Type).ByteSize(n);
        return bytes.AsSpan((int)(DataStart + (long)t.Offset), (int)size);
    }

    /// <summary>A tensor's values as float32 (F32, F16 or Q8_0 dequantized), row-major.</summary>
    public float[] Floats(string name)
    {
        var t = Tensor(name);
        var data = Data(name);
        return (GgufTensorType)t.Type switch
        {
            GgufTensorType.F32 => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray(),
            GgufTensorType.F16 => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(data).ToArray().Select(h => (float)h).ToArray(),
            GgufTensorType.Q8_0 => Q8_0.Dequantize(data),
            _ => throw new InvalidDataException($"type {t.Type}"),
        };
    }

    static string ReadString(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes(checked((int)r.ReadUInt64())));

    static object ReadValue(BinaryReader r, GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => r.ReadByte(),
        GgufValueType.Int8 => r.ReadSByte(),
        GgufValueType.UInt16 => r.ReadUInt16(),
        GgufValueType.Int16 => r.ReadInt16(),
        GgufValueType.UInt32 => r.ReadUInt32(),
        GgufValueType.Int32 => r.ReadInt32(),
        GgufValueType.Float32 => r.ReadSingle(),
        GgufValueType.Bool => r.ReadByte() switch { 0 => false, 1 => true, var b => throw new InvalidDataException($"bool {b}") },
        GgufValueType.String => ReadString(r),
        GgufValueType.UInt64 => r.ReadUInt64(),
        GgufValueType.Int64 => r.ReadInt64(),
        GgufValueType.Float64 => r.ReadDouble(),
        GgufValueType.Array => ReadArray(r),
        _ => throw new InvalidDataException($"value type {type}"),
    };

    static object[] ReadArray(BinaryReader r)
    {
        var type = (GgufValueType)r.ReadUInt32();
        var items = new object[checked((int)r.ReadUInt64())];
        for (int i = 0; i < items.Length; i++) items[i] = ReadValue(r, type);
        return items;
    }
}
