using TorchSharp;

namespace TuneSharp.IO;

/// <summary>
/// Raw-byte access to a contiguous CPU tensor's memory, in chunks: TorchSharp's <c>Tensor.bytes</c> is a
/// <see cref="Span{T}"/>, limited to 2 GiB, so a large tensor is visited through 1-D views of at most
/// <see cref="ChunkBytes"/> bytes each. The views share the tensor's storage: nothing is copied.
/// </summary>
internal static class TensorBytes
{
    /// <summary>Bytes per chunk: 64 MiB keeps each read/write syscall large and far below the span limit.</summary>
    public const long ChunkBytes = 64L << 20;

    public delegate void ChunkAction(Span<byte> chunk, long offset);

    /// <summary>Calls <paramref name="action"/> on consecutive spans covering all of <paramref name="tensor"/>'s bytes.</summary>
    public static void ForEachChunk(torch.Tensor tensor, ChunkAction action)
    {
        if (tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException("raw byte access needs a contiguous CPU tensor", nameof(tensor));
        long count = tensor.numel();
        if (count == 0) return;
        long elementSize = tensor.element_size();
        long perChunk = Math.Max(1, ChunkBytes / elementSize);

        using var flat = tensor.view(-1); // (numel,) alias of the same storage
        for (long start = 0; start < count; start += perChunk)
        {
            long n = Math.Min(perChunk, count - start);
            using var part = flat.narrow(0, start, n);
            action(part.bytes, start * elementSize);
        }
    }
}
