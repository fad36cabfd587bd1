namespace TuneSharp.IO.Gguf;

/// <summary>The ggml tensor types this writer produces (values of <c>ggml_type</c>, stored as uint32).</summary>
public enum GgufTensorType : uint
{
    F32 = 0,
    F16 = 1,
    /// <summary>Blocks of 32 values: an fp16 scale, then 32 int8 (34 bytes); see <see cref="Q8_0"/>.</summary>
    Q8_0 = 8,
}

public static class GgufTensorTypes
{
    /// <summary>Bytes of a tensor of <paramref name="elements"/> values (a multiple of 32 for Q8_0).</summary>
    public static long ByteSize(this GgufTensorType type, long elements) => type switch
    {
        GgufTensorType.F32 => elements * 4,
        GgufTensorType.F16 => elements * 2,
        GgufTensorType.Q8_0 => elements / Q8_0.BlockSize * Q8_0.BlockBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
