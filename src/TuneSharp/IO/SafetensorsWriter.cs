using System.Buffers.Binary;
using System.Text;
using TorchSharp;

namespace TuneSharp.IO;

/// <summary>
/// Writes safetensors files exactly as the Hugging Face safetensors library does: tensors sorted by descending
/// dtype alignment, then by name; a compact JSON header with "__metadata__" first, padded with spaces to a
/// multiple of 8 bytes; data little-endian, C order. The file is written atomically (temp file, then rename).
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/>. Tensors may live on any device and need not be
    /// contiguous: each is copied to a contiguous CPU temporary only when necessary, one at a time.
    /// </summary>
    /// <param name="path">The .safetensors file to create or replace.</param>
    /// <param name="tensors">Name → tensor; names must be unique.</param>
    /// <param name="metadata">The "__metadata__" string map (Hugging Face writes {"format": "pt"}); omitted when null.</param>
    public static void Write(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
        => Write(path, tensors, metadata, floatDtype: null);

    /// <summary>As <see cref="Write(string, IEnumerable{KeyValuePair{string, torch.Tensor}}, IReadOnlyDictionary{string, string}?)"/>,
    /// storing floating-point tensors as <paramref name="floatDtype"/> when given (integer and bool tensors keep theirs).</summary>
    internal static void Write(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata, torch.ScalarType? floatDtype)
    {
        var entries = Plan(path, tensors, floatDtype);
        byte[] header = Header(entries, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var e in entries) WriteData(stream, e);
        });
    }

    internal sealed record Entry(string Name, torch.Tensor Tensor, torch.ScalarType StoredType, string DType, long[] Shape, long Bytes);

    /// <summary>Validates names and dtypes and sorts the entries into file order.</summary>
    static List<Entry> Plan(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors, torch.ScalarType? floatDtype)
    {
        var entries = new List<Entry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == "__metadata__")
                throw new ArgumentException($"{path}: invalid tensor name '{name}'");
            if (!names.Add(name))
                throw new ArgumentException($"{path}: tensor '{name}' given twice");
            var stored = floatDtype is { } f && tensor.is_floating_point() ? f : tensor.dtype;
            string dtype = SafetensorsDType.FromScalarType(stored);
            long bytes = tensor.numel() * SafetensorsDType.ElementSize(dtype);
            entries.Add(new Entry(name, tensor, stored, dtype, tensor.shape, bytes));
        }
        entries.Sort((a, b) =>
        {
            int byRank = SafetensorsDType.Rank(b.DType).CompareTo(SafetensorsDType.Rank(a.DType));
            return byRank != 0 ? byRank : SafetensorsJson.CompareUtf8(a.Name, b.Name);
        });
        return entries;
    }

    static byte[] Header(List<Entry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        if (metadata is not null)
        {
            sb.Append("\"__metadata__\":{");
            bool firstMeta = true;
            foreach (var (k, v) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (!firstMeta) sb.Append(',');
                SafetensorsJson.SerdeString(sb, k);
                sb.Append(':');
                SafetensorsJson.SerdeString(sb, v);
                firstMeta = false;
            }
            sb.Append('}');
            first = false;
        }
        long offset = 0;
        foreach (var e in entries)
        {
            if (!first) sb.Append(',');
            first = false;
            SafetensorsJson.SerdeString(sb, e.Name);
            sb.Append(":{\"dtype\":\"").Append(e.DType).Append("\",\"shape\":[")
              .Append(string.Join(',', e.Shape)).Append("],\"data_offsets\":[")
              .Append(offset).Append(',').Append(offset + e.Bytes).Append("]}");
            offset += e.Bytes;
        }
        sb.Append('}');
        // Pad with spaces so the data area starts 8-byte aligned (8 + N is a multiple of 8).
        int pad = (8 - Encoding.UTF8.GetByteCount(sb.ToString()) % 8) % 8;
        sb.Append(' ', pad);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    static void WriteData(Stream stream, Entry e)
    {
        if (e.Bytes == 0) return;
        var t = e.Tensor;
        if (t.device_type == DeviceType.CPU && t.dtype == e.StoredType && t.is_contiguous())
        {
            TensorBytes.ForEachChunk(t, (chunk, _) => stream.Write(chunk));
            return;
        }
        // One temporary (this tensor only): moved to the CPU, converted, made contiguous.
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var cpu = t.to(e.StoredType, torch.CPU).contiguous();
        TensorBytes.ForEachChunk(cpu, (chunk, _) => stream.Write(chunk));
    }
}
