namespace TuneSharp.IO;

/// <summary>
/// One tensor entry of a safetensors header.
/// </summary>
/// <param name="Name">The tensor name, e.g. "model.layers.0.self_attn.q_proj.weight".</param>
/// <param name="DType">The safetensors dtype name, e.g. "F32" or "BF16".</param>
/// <param name="Shape">The shape; empty for a scalar.</param>
/// <param name="Begin">First byte, relative to the data area (which starts after the 8-byte length and the header).</param>
/// <param name="End">One past the last byte, relative to the data area.</param>
public sealed record SafetensorsTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of bytes of the tensor's data.</summary>
    public long ByteLength => End - Begin;

    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The shape as "[512, 64]", for messages.</summary>
    public string ShapeText => FormatShape(Shape);

    /// <summary>Formats a shape as "[512, 64]".</summary>
    public static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
