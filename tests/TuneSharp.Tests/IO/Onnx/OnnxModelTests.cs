using TuneSharp.IO.Onnx;
using TuneSharp.IO.Onnx.Proto;

namespace TuneSharp.Tests.IO.Onnx;

/// <summary>Tensor dims from a corrupt ONNX file are checked before they are multiplied into anything.</summary>
public sealed class OnnxModelTests
{
    [Fact]
    public void Dims_whose_product_overflows_are_a_user_error_not_an_OverflowException()
    {
        var t = new TensorProto { Name = "w", DataType = 1 };
        t.Dims.Add(1L << 40);
        t.Dims.Add(1L << 40);
        Assert.Contains("tensor 'w' has dims [1099511627776, 1099511627776]", Assert.Throws<UserError>(() => OnnxModel.Floats(t, "m.onnx")).Message);
        Assert.Contains("tensor 'w'", Assert.Throws<UserError>(() => OnnxModel.Scalar(t, "m.onnx")).Message);
    }

    [Fact]
    public void A_negative_dim_is_named()
    {
        var t = new TensorProto { Name = "b", DataType = 1 };
        t.Dims.Add(-3);
        Assert.Contains("negative dimension -3", Assert.Throws<UserError>(() => OnnxModel.Floats(t, "m.onnx")).Message);
    }
}
