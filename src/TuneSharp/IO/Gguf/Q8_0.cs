using System.Buffers.Binary;

namespace TuneSharp.IO.Gguf;

/// <summary>
/// ggml's Q8_0 quantization (<c>quantize_row_q8_0_ref</c>): each block of 32 consecutive values of a row is stored as
/// an fp16 scale d = max|x| / 127 followed by 32 int8 q = round(x / d) (half away from zero, as C's roundf), so
/// x ≈ d·q. An all-zero block has d = 0 and q = 0.
/// </summary>
public static class Q8_0
{
    public const int BlockSize = 32;
    /// <summary>2 bytes of fp16 scale + 32 bytes of int8.</summary>
    public const int BlockBytes = 2 + BlockSize;

    /// <summary>Quantizes <paramref name="values"/> (length a multiple of 32) into <paramref name="output"/> (34 bytes per block).</summary>
    public static void Quantize(ReadOnlySpan<float> values, Span<byte> output)
    {
        if (values.Length % BlockSize != 0) throw new ArgumentException($"length {values.Length} is not a multiple of {BlockSize}", nameof(values));
        if (output.Length != values.Length / BlockSize * BlockBytes) throw new ArgumentException("output has the wrong size", nameof(output));
        for (int b = 0; b < values.Length / BlockSize; b++)
        {
            var x = values.Slice(b * BlockSize, BlockSize);
            var y = output.Slice(b * BlockBytes, BlockBytes);
            float amax = 0;
            foreach (float v in x) amax = MathF.Max(amax, MathF.Abs(v));
            float d = amax / 127f;
            // ggml multiplies by the fp32 inverse of the fp32 scale (not the fp16-rounded one); do the same bit for bit.
            float id = d != 0 ? 1f / d : 0f;
            BinaryPrimitives.WriteUInt16LittleEndian(y, BitConverter.HalfToUInt16Bits((Half)d));
            for (int i = 0; i < BlockSize; i++)
                y[2 + i] = unchecked((byte)(sbyte)MathF.Round(x[i] * id, MidpointRounding.AwayFromZero));
        }
    }

    /// <summary>The inverse, for tests and inspection: x = d·q per block.</summary>
    public static float[] Dequantize(ReadOnlySpan<byte> blocks)
    {
        var result = new float[blocks.Length / BlockBytes * BlockSize];
        for (int b = 0; b < blocks.Length / BlockBytes; b++)
        {
            var y = blocks.Slice(b * BlockBytes, BlockBytes);
            float d = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(y));
            for (int i = 0; i < BlockSize; i++) result[b * BlockSize + i] = d * (sbyte)y[2 + i];
        }
        return result;
    }
}
