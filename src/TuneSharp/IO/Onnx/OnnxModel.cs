using Google.Protobuf;
using TuneSharp.IO.Onnx.Proto;

namespace TuneSharp.IO.Onnx;

/// <summary>
/// Reads an ONNX model (a protobuf <c>ModelProto</c>, schema in onnx.proto beside this file) and turns its
/// initializers into float arrays. Every malformed input is one <see cref="UserError"/> naming the source and
/// the tensor: a truncated or corrupt file fails in the protobuf reader, a tensor whose bytes do not match its
/// dims fails here, before anything is written.
/// </summary>
public static class OnnxModel
{
    /// <summary>Parses <paramref name="bytes"/> (named <paramref name="source"/> in errors).</summary>
    internal static ModelProto Parse(ReadOnlySpan<byte> bytes, string source)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e)
        {
            throw new UserError($"{source}: not a valid ONNX model ({e.Message.TrimEnd('.')}); is the file truncated or corrupt?", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new UserError($"{source}: the ONNX model has no graph nodes");
        return model;
    }

    /// <summary>The elements of a FLOAT, FLOAT16 or DOUBLE tensor as floats (row-major, shape = dims).</summary>
    internal static float[] Floats(TensorProto t, string source)
    {
        if (t.DataLocation == 1)
            throw new UserError($"{source}: tensor '{t.Name}' keeps its data in an external file, which is not supported");
        long count = Count(t, source);
        int elementSize = t.DataType switch
        {
            1 => 4,   // FLOAT
            10 => 2,  // FLOAT16
            11 => 8,  // DOUBLE
            _ => throw new UserError($"{source}: tensor '{t.Name}' has data type {t.DataType}; expected a floating-point tensor"),
        };
        if (t.RawData.Length > 0)
        {
            if (t.RawData.Length != count * elementSize)
                throw new UserError($"{source}: tensor '{t.Name}' has {t.RawData.Length} bytes of data; dims [{string.Join(", ", t.Dims)}] need {count * elementSize}");
            var raw = t.RawData.Span;
            var values = new float[count];
            for (int i = 0; i < values.Length; i++)
                values[i] = elementSize switch
                {
                    4 => BitConverter.ToSingle(raw.Slice(i * 4, 4)),
                    2 => (float)BitConverter.ToHalf(raw.Slice(i * 2, 2)),
                    _ => (float)BitConverter.ToDouble(raw.Slice(i * 8, 8)),
                };
            return values;
        }
        if (t.DataType == 1 && t.FloatData.Count == count) return t.FloatData.ToArray();
        if (t.DataType == 11 && t.DoubleData.Count == count) return t.DoubleData.Select(v => (float)v).ToArray();
        throw new UserError($"{source}: tensor '{t.Name}' holds no data matching dims [{string.Join(", ", t.Dims)}]");
    }

    // The element count of dims that a corrupt file may make negative or overflow a long (no allocation follows
    // from it: the data must already be in the file to match).
    static long Count(TensorProto t, string source)
    {
        long count = 1;
        foreach (var d in t.Dims)
        {
            if (d < 0) throw new UserError($"{source}: tensor '{t.Name}' has a negative dimension {d}");
            try { count = checked(count * d); }
            catch (OverflowException) { throw new UserError($"{source}: tensor '{t.Name}' has dims [{string.Join(", ", t.Dims)}], more elements than a file can hold"); }
        }
        return count;
    }

    /// <summary>The single value of a scalar (or one-element) tensor as a double.</summary>
    internal static double Scalar(TensorProto t, string source)
    {
        long count = Count(t, source);
        if (count != 1) throw new UserError($"{source}: tensor '{t.Name}' was expected to be a scalar, has dims [{string.Join(", ", t.Dims)}]");
        if (t.DataType == 7) // INT64
            return t.RawData.Length == 8 ? BitConverter.ToInt64(t.RawData.Span) : t.Int64Data.Count == 1 ? t.Int64Data[0]
                : throw new UserError($"{source}: tensor '{t.Name}' holds no value");
        return Floats(t, source)[0];
    }
}
