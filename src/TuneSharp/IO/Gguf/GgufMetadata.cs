namespace TuneSharp.IO.Gguf;

/// <summary>
/// One metadata key-value pair. <see cref="Value"/> is a string, a uint, an int, a float, a bool, or for arrays a
/// string[] / int[] / float[] (<see cref="ElementType"/> then names the element type).
/// </summary>
public sealed record GgufMetadata(string Key, GgufValueType Type, object Value, GgufValueType ElementType = GgufValueType.UInt8);
