namespace TuneSharp.Models.Export;

/// <summary>How a GGUF export stores 2-D weights; 1-D tensors (norms, biases) are always f32, as llama.cpp's converter does.</summary>
public enum GgufOutType
{
    F32,
    F16,
    /// <summary>ggml Q8_0; a weight whose rows are not a multiple of 32 falls back to f16 (as convert_hf_to_gguf.py does).</summary>
    Q8_0,
}

public static class GgufOutTypes
{
    /// <summary>Parses the CLI's <c>--outtype</c> (f32, f16, q8_0).</summary>
    public static GgufOutType Parse(string text) => text.ToLowerInvariant() switch
    {
        "f32" => GgufOutType.F32,
        "f16" => GgufOutType.F16,
        "q8_0" => GgufOutType.Q8_0,
        _ => throw new UserError($"--outtype: '{text}' is not supported (supported: f32, f16, q8_0)"),
    };

    /// <summary>general.file_type (llama_ftype): ALL_F32 = 0, MOSTLY_F16 = 1, MOSTLY_Q8_0 = 7.</summary>
    public static uint FileType(this GgufOutType type) => type switch
    {
        GgufOutType.F32 => 0,
        GgufOutType.F16 => 1,
        _ => 7,
    };
}
