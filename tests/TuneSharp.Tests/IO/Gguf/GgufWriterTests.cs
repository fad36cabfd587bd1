using System.Buffers.Binary;
using TuneSharp.IO.Gguf;

namespace TuneSharp.Tests.IO.Gguf;

public class GgufWriterTests
{
    [Fact]
    public void Header_metadata_tensor_infos_and_data_follow_the_spec()
    {
        var gguf = new GgufWriter();
        gguf.Add("general.architecture", "llama");
        gguf.Add("a.u32", 7u);
        gguf.Add("a.f32", 1.5f);
        gguf.Add("a.bool", true);
        gguf.Add("a.strings", ["x", "yz"]);
        gguf.Add("a.ints", [1, -2, 3]);
        // (2, 3) f32: 24 bytes, padded to 32; then a 1-D f32 of 1 value.
        gguf.AddTensor("w", [2, 3], GgufTensorType.F32, () => Bytes([1, 2, 3, 4, 5, 6]));
        gguf.AddTensor("b", [1], GgufTensorType.F32, () => Bytes([9]));
        var ms = new MemoryStream();
        gguf.Write(ms);
        var bytes = ms.ToArray();

        // Hand-checked fixed fields: "GGUF", version 3, 2 tensors, 6 key-value pairs.
        Assert.Equal("GGUF"u8.ToArray(), bytes[..4]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(2ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(6ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)));
        // First key: u64 length 20, "general.architecture", type 8 (string), u64 length 5, "llama".
        Assert.Equal(20ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24)));
        Assert.Equal("general.architecture"u8.ToArray(), bytes[32..52]);
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(52)));
        Assert.Equal(5ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(56)));
        Assert.Equal("llama"u8.ToArray(), bytes[64..69]);

        var r = new GgufTestReader(bytes);
        Assert.Equal(3u, r.Version);
        Assert.Equal(7u, r.Metadata["a.u32"]);
        Assert.Equal(GgufValueType.UInt32, r.Types["a.u32"]);
        Assert.Equal(1.5f, r.Metadata["a.f32"]);
        Assert.Equal(true, r.Metadata["a.bool"]);
        Assert.Equal(["x", "yz"], ((object[])r.Metadata["a.strings"]).Cast<string>());
        Assert.Equal([1, -2, 3], ((object[])r.Metadata["a.ints"]).Cast<int>());
        Assert.Equal(0, r.DataStart % 32);
        // ne is innermost first: a (2, 3) PyTorch tensor is ne = [3, 2].
        Assert.Equal([3ul, 2ul], r.Tensor("w").Ne);
        Assert.Equal(0ul, r.Tensor("w").Offset);
        Assert.Equal(32ul, r.Tensor("b").Offset);
        Assert.Equal([1f, 2, 3, 4, 5, 6], r.Floats("w"));
        Assert.Equal([9f], r.Floats("b"));
        Assert.Equal(r.DataStart + 64, bytes.Length);
    }

    [Fact]
    public void A_non_default_alignment_is_recorded_and_used()
    {
        var gguf = new GgufWriter(alignment: 64);
        gguf.AddTensor("a", [3], GgufTensorType.F32, () => Bytes([1, 2, 3]));
        gguf.AddTensor("b", [1], GgufTensorType.F32, () => Bytes([4]));
        var ms = new MemoryStream();
        gguf.Write(ms);
        var r = new GgufTestReader(ms.ToArray());
        Assert.Equal(64u, r.Metadata["general.alignment"]);
        Assert.Equal(0, r.DataStart % 64);
        Assert.Equal(64ul, r.Tensor("b").Offset);
    }

    [Fact]
    public void Q8_0_blocks_match_a_hand_computation()
    {
        // Block 0: x_i = (i - 16) / 8, max |x| = 2 → d = 2/127; q_i = round(x_i·127/2): x=-2 → -127, x=1/8 → 7.9375 → 8,
        // x = 0.25 → 15.875 → 16, x = 15/8 → 119.06 → 119. Block 1: all zero → d = 0, q = 0.
        var x = new float[64];
        for (int i = 0; i < 32; i++) x[i] = (i - 16) / 8f;
        var y = new byte[2 * Q8_0.BlockBytes];
        Q8_0.Quantize(x, y);
        Assert.Equal((Half)(2f / 127f), BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(y)));
        Assert.Equal(-127, (sbyte)y[2 + 0]);
        Assert.Equal(0, (sbyte)y[2 + 16]);
        Assert.Equal(8, (sbyte)y[2 + 17]);
        Assert.Equal(16, (sbyte)y[2 + 18]);
        Assert.Equal(119, (sbyte)y[2 + 31]); // 15/8 · 127/2 = 119.06
        Assert.All(y[Q8_0.BlockBytes..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Q8_0_rounds_halves_away_from_zero_like_roundf()
    {
        // max 127 → d = 1, so q = round(x) exactly: 2.5 → 3, -2.5 → -3, 0.5 → 1.
        var x = new float[32];
        x[0] = 127; x[1] = 2.5f; x[2] = -2.5f; x[3] = 0.5f;
        var y = new byte[Q8_0.BlockBytes];
        Q8_0.Quantize(x, y);
        Assert.Equal(new sbyte[] { 127, 3, -3, 1 }, y[2..6].Select(b => (sbyte)b));
        Assert.Equal([127f, 3, -3, 1], Q8_0.Dequantize(y)[..4]);
    }

    static byte[] Bytes(float[] values)
    {
        var b = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, b, 0, b.Length);
        return b;
    }
}
