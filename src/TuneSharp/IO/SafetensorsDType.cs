using TorchSharp;

namespace TuneSharp.IO;

/// <summary>
/// The safetensors dtype names this library reads and writes, and how they map to TorchSharp.
/// F8_*, U16, U32 and U64 exist in the format but have no TorchSharp 0.107 scalar type, so they are rejected.
/// </summary>
public static class SafetensorsDType
{
    // Rank = position in the safetensors Rust `Dtype` enum, which is declared in increasing alignment order.
    // The writer sorts by descending rank, then by name, exactly as `safetensors.serialize` does.
    static readonly (string Name, torch.ScalarType Type, int Size, int Rank)[] table =
    [
        ("BOOL", torch.ScalarType.Bool, 1, 0),
        ("U8", torch.ScalarType.Byte, 1, 1),
        ("I8", torch.ScalarType.Int8, 1, 2),
        ("I16", torch.ScalarType.Int16, 2, 5),
        ("F16", torch.ScalarType.Float16, 2, 7),
        ("BF16", torch.ScalarType.BFloat16, 2, 8),
        ("I32", torch.ScalarType.Int32, 4, 9),
        ("F32", torch.ScalarType.Float32, 4, 11),
        ("F64", torch.ScalarType.Float64, 8, 12),
        ("I64", torch.ScalarType.Int64, 8, 13),
    ];

    /// <summary>The supported names, for error messages: "BOOL, U8, I8, ...".</summary>
    public static string SupportedNames => string.Join(", ", table.Select(e => e.Name));

    /// <summary>True when <paramref name="name"/> (e.g. "BF16") is a supported dtype.</summary>
    public static bool IsSupported(string name) => Find(name) >= 0;

    /// <summary>The TorchSharp scalar type of a safetensors dtype name.</summary>
    /// <exception cref="ArgumentException">The name is not supported.</exception>
    public static torch.ScalarType ToScalarType(string name) => table[Require(name)].Type;

    /// <summary>The safetensors name of a TorchSharp scalar type, e.g. Float32 → "F32".</summary>
    /// <exception cref="ArgumentException">The type has no safetensors name here (complex, quantized).</exception>
    public static string FromScalarType(torch.ScalarType type)
    {
        foreach (var e in table)
            if (e.Type == type) return e.Name;
        throw new ArgumentException($"dtype {type} cannot be stored in safetensors (supported: {SupportedNames})");
    }

    /// <summary>Bytes per element of a safetensors dtype name.</summary>
    public static int ElementSize(string name) => table[Require(name)].Size;

    /// <summary>Sort rank of the safetensors writer: higher alignment first.</summary>
    internal static int Rank(string name) => table[Require(name)].Rank;

    static int Find(string name)
    {
        for (int i = 0; i < table.Length; i++)
            if (table[i].Name == name) return i;
        return -1;
    }

    static int Require(string name)
    {
        int i = Find(name);
        return i >= 0 ? i : throw new ArgumentException($"unknown safetensors dtype '{name}' (supported: {SupportedNames})");
    }
}
