using TorchSharp;
using TuneSharp.IO;

namespace TuneSharp.Tests.IO;

public class RoundTripTests
{
    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gpt2")]
    [InlineData("tiny-bert-cls")]
    public void Load_save_load_is_bit_identical(string fixture)
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        using var original = Checkpoint.Open(Fixtures.HfTiny(fixture));
        var tensors = original.Keys.Select(k => KeyValuePair.Create(k, original.Read(k))).ToList();
        CheckpointWriter.Save(dir.Path, tensors);

        Assert.True(File.Exists(dir.File("model.safetensors")));
        using var saved = Checkpoint.Open(dir.Path);
        Assert.Equal(original.Keys.Order(), saved.Keys.Order());
        foreach (var key in original.Keys)
        {
            Assert.Equal(original.Info(key).DType, saved.Info(key).DType);
            Assert.Equal(original.Info(key).Shape, saved.Info(key).Shape);
            var a = original.Read(key);
            var b = saved.Read(key);
            TensorAssert.Identical(a, b, key);
            Assert.True(a.bytes.SequenceEqual(b.bytes), key);
        }
        Assert.Equal("pt", saved.Files[0].Metadata["format"]);
    }

    [Theory]
    [InlineData(torch.ScalarType.Float16)]
    [InlineData(torch.ScalarType.BFloat16)]
    public void Half_precision_reads_back_as_float32_like_torch_converts(torch.ScalarType half)
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var x = (torch.randn(37, 11) * 100).to(half); // (37, 11), values beyond the F16 subnormal range too
        SafetensorsWriter.Write(dir.File("h.safetensors"), [KeyValuePair.Create("x", x)]);

        using var file = SafetensorsFile.Open(dir.File("h.safetensors"));
        Assert.Equal(half == torch.ScalarType.Float16 ? "F16" : "BF16", file["x"].DType);
        var stored = file.Read("x");
        Assert.Equal(half, stored.dtype);
        Assert.True(stored.bytes.SequenceEqual(x.bytes));
        var asFloat = file.Read("x", torch.ScalarType.Float32);
        Assert.Equal(torch.ScalarType.Float32, asFloat.dtype);
        TensorAssert.Identical(asFloat, x.to(torch.ScalarType.Float32), "x");
    }

    [Fact]
    public void Every_supported_dtype_scalars_and_empty_tensors_round_trip()
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        var tensors = new Dictionary<string, torch.Tensor>
        {
            ["f64"] = torch.randn(3, 4, dtype: torch.float64),
            ["f32"] = torch.randn(5),
            ["f16"] = torch.randn(2, 3).to(torch.float16),
            ["bf16"] = torch.randn(2, 3).to(torch.bfloat16),
            ["i64"] = torch.randint(-1000, 1000, [7], dtype: torch.int64),
            ["i32"] = torch.randint(-1000, 1000, [7], dtype: torch.int32),
            ["i16"] = torch.randint(-1000, 1000, [7], dtype: torch.int16),
            ["i8"] = torch.randint(-100, 100, [7], dtype: torch.int8),
            ["u8"] = torch.randint(0, 255, [7], dtype: torch.uint8),
            ["bool"] = torch.randn(9) > 0,
            ["scalar"] = torch.tensor(3.5f),
            ["empty"] = torch.zeros(0, 4),
        };
        SafetensorsWriter.Write(dir.File("all.safetensors"), tensors);

        using var file = SafetensorsFile.Open(dir.File("all.safetensors"));
        foreach (var (name, t) in tensors)
        {
            var back = file.Read(name);
            Assert.Equal(t.dtype, back.dtype);
            Assert.Equal(t.shape, back.shape);
            TensorAssert.Identical(t, back, name);
        }
        Assert.Empty(file["scalar"].Shape);
        Assert.Equal(0, file["empty"].ByteLength);
        // Written in the safetensors library's order: descending alignment, then name.
        Assert.Equal(["i64", "f64", "empty", "f32", "scalar", "i32", "bf16", "f16", "i16", "i8", "u8", "bool"],
            file.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void Non_contiguous_tensors_are_written_in_logical_order()
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(12, dtype: torch.float32).reshape(3, 4);
        var xt = x.t(); // (4, 3) view with strides (1, 4)
        Assert.False(xt.is_contiguous());
        SafetensorsWriter.Write(dir.File("t.safetensors"), [KeyValuePair.Create("xt", xt)]);
        using var file = SafetensorsFile.Open(dir.File("t.safetensors"));
        TensorAssert.Identical(xt, file.Read("xt"), "x");
    }

    [Fact]
    public void Save_with_dtype_converts_floats_and_keeps_integers()
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        var w = torch.randn(4, 4);
        var ids = torch.arange(5, dtype: torch.int64);
        CheckpointWriter.Save(dir.Path, [KeyValuePair.Create("w", w), KeyValuePair.Create("ids", ids)], dtype: torch.ScalarType.BFloat16);
        using var ck = Checkpoint.Open(dir.Path);
        Assert.Equal("BF16", ck.Info("w").DType);
        Assert.Equal("I64", ck.Info("ids").DType);
        TensorAssert.Identical(w.to(torch.bfloat16), ck.Read("w"), "x");
        TensorAssert.Identical(ids, ck.Read("ids"), "x");
    }

    [Fact]
    public void ReadInto_fills_a_parameter_of_another_dtype()
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        var half = torch.randn(6, 2).to(torch.float16);
        SafetensorsWriter.Write(dir.File("h.safetensors"), [KeyValuePair.Create("w", half)]);
        using var file = SafetensorsFile.Open(dir.File("h.safetensors"));
        var target = torch.zeros(6, 2);
        file.ReadInto("w", target);
        TensorAssert.Identical(half.to(torch.float32), target, "x");
    }
}
