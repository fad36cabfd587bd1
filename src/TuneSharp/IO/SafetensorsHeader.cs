using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace TuneSharp.IO;

/// <summary>
/// Reads and validates a safetensors header: 8 bytes little-endian header length N, N bytes of UTF-8 JSON,
/// then the data area. Every check that the Rust safetensors library makes is made here, each failing with
/// a one-line <see cref="UserError"/> naming the file and, where there is one, the tensor.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The limit of the reference implementation: a larger header is rejected before it is read.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    /// <summary>Tensors in file order (ascending data offsets).</summary>
    public required IReadOnlyList<SafetensorsTensorInfo> Tensors { get; init; }

    /// <summary>Absolute file offset of the data area: 8 + N.</summary>
    public required long DataStart { get; init; }

    static readonly UTF8Encoding strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static SafetensorsHeader Read(string path, SafeFileHandle file)
    {
        long fileLength = RandomAccess.GetLength(file);
        if (fileLength < 8)
            throw new UserError($"{path}: not a safetensors file: {fileLength} bytes, shorter than the 8-byte header length");

        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(path, file, lengthBytes, 0);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (n > MaxHeaderBytes)
            throw new UserError($"{path}: header length {n} bytes is larger than the 100 MB limit (corrupt or not a safetensors file)");
        if (8 + (long)n > fileLength)
            throw new UserError($"{path}: header length {n} bytes does not fit in the file ({fileLength} bytes; truncated?)");

        var headerBytes = new byte[n];
        ReadExactly(path, file, headerBytes, 8);
        string text;
        try { text = strictUtf8.GetString(headerBytes); }
        catch (DecoderFallbackException) { throw new UserError($"{path}: header is not valid UTF-8"); }

        long dataStart = 8 + (long)n;
        return Parse(path, text, dataStart, fileLength - dataStart);
    }

    static SafetensorsHeader Parse(string path, string text, long dataStart, long dataLength)
    {
        JsonDocument doc;
        // Duplicates are allowed through the parse: the loop below names the duplicated tensor.
        try { doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = JsonFile.MaxDepth }); }
        catch (JsonException e) { throw new UserError($"{path}: header is not valid JSON ({FirstLine(e.Message)})"); }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new UserError($"{path}: header is not a JSON object but {doc.RootElement.ValueKind}");

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new List<SafetensorsTensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                // JsonDocument keeps duplicate keys; serde (and Python's dict) would silently keep one. Reject instead.
                if (!seen.Add(prop.Name))
                    throw new UserError($"{path}: header has the key '{prop.Name}' twice");
                if (prop.Name == "__metadata__")
                    ParseMetadata(path, prop.Value, metadata);
                else
                    tensors.Add(ParseTensor(path, prop.Name, prop.Value, dataLength));
            }

            CheckLayout(path, tensors, dataLength);
            return new SafetensorsHeader { Metadata = metadata, Tensors = tensors, DataStart = dataStart };
        }
    }

    static void ParseMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new UserError($"{path}: __metadata__ is not a JSON object of strings");
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
                throw new UserError($"{path}: __metadata__ entry '{p.Name}' is not a string");
            metadata[p.Name] = p.Value.GetString()!;
        }
    }

    static SafetensorsTensorInfo ParseTensor(string path, string name, JsonElement value, long dataLength)
    {
        string where = $"{path}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw new UserError($"{where}: entry is not a JSON object");

        if (!value.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw new UserError($"{where}: missing or non-string \"dtype\"");
        string dtype = dtypeEl.GetString()!;
        if (!SafetensorsDType.IsSupported(dtype))
            throw new UserError($"{where}: unknown or unsupported dtype '{dtype}' (supported: {SafetensorsDType.SupportedNames})");

        if (!value.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
            throw new UserError($"{where}: \"shape\" is missing or not a list");
        var shape = new long[shapeEl.GetArrayLength()];
        int i = 0;
        foreach (var d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0)
                throw new UserError($"{where}: \"shape\" must be a list of non-negative integers, got {shapeEl.GetRawText()}");
            shape[i++] = dim;
        }

        if (!value.TryGetProperty("data_offsets", out var offEl) || offEl.ValueKind != JsonValueKind.Array
            || offEl.GetArrayLength() != 2)
            throw new UserError($"{where}: \"data_offsets\" must be a list of two integers");
        long begin = OffsetAt(where, offEl, 0), end = OffsetAt(where, offEl, 1);
        if (begin > end)
            throw new UserError($"{where}: data_offsets [{begin}, {end}] has begin after end");
        if (end > dataLength)
            throw new UserError($"{where}: data_offsets [{begin}, {end}] lie outside the data area ({dataLength} bytes; truncated file?)");

        long expected = ExpectedBytes(where, shape, dtype);
        if (expected != end - begin)
            throw new UserError(
                $"{where}: shape {SafetensorsTensorInfo.FormatShape(shape)} of {dtype} needs {expected} bytes but data_offsets [{begin}, {end}] hold {end - begin}");

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    static long OffsetAt(string where, JsonElement offsets, int index)
    {
        var el = offsets[index];
        if (el.ValueKind != JsonValueKind.Number || !el.TryGetInt64(out long v) || v < 0)
            throw new UserError($"{where}: \"data_offsets\" must be two non-negative integers, got {offsets.GetRawText()}");
        return v;
    }

    static long ExpectedBytes(string where, long[] shape, string dtype)
    {
        try
        {
            long count = 1;
            foreach (long d in shape) count = checked(count * d);
            return checked(count * SafetensorsDType.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw new UserError($"{where}: shape {SafetensorsTensorInfo.FormatShape(shape)} is too large (overflow)");
        }
    }

    /// <summary>
    /// Sorted by offset, the tensors must tile the data area exactly: no overlap, no gap, nothing after the last
    /// (the reference implementation rejects all three, so a file we accept is a file Hugging Face accepts).
    /// </summary>
    static void CheckLayout(string path, List<SafetensorsTensorInfo> tensors, long dataLength)
    {
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expectedBegin = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (var t in tensors)
        {
            if (t.Begin < expectedBegin)
                throw new UserError(
                    $"{path}: tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] overlap tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]");
            if (t.Begin > expectedBegin)
                throw new UserError(
                    $"{path}: tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] leave a gap of {t.Begin - expectedBegin} bytes after byte {expectedBegin}");
            expectedBegin = t.End;
            previous = t;
        }
        if (expectedBegin != dataLength)
            throw new UserError(
                $"{path}: the data area holds {dataLength} bytes but the tensors cover {expectedBegin} (trailing bytes after the last tensor)");
    }

    internal static void ReadExactly(string path, SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            int read = RandomAccess.Read(file, buffer, offset);
            if (read <= 0)
                throw new UserError($"{path}: unexpected end of file at byte {offset} (file changed or truncated while reading)");
            buffer = buffer[read..];
            offset += read;
        }
    }

    static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
