using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace TuneSharp.IO;

/// <summary>
/// An open, validated safetensors file. The header is read and checked once at <see cref="Open"/>; tensors are read
/// one at a time, straight from the file into the new tensor's memory (positional reads, no byte[] of the file,
/// no memory map: mapped pages would count in the process RSS, page-cache pages read with pread do not).
/// Never unpickles anything: pickle checkpoints are rejected, not read.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    readonly SafeFileHandle file;
    readonly SafetensorsHeader header;
    readonly Dictionary<string, SafetensorsTensorInfo> byName;

    SafetensorsFile(string path, SafeFileHandle file, SafetensorsHeader header)
    {
        Path = path;
        this.file = file;
        this.header = header;
        byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Opens <paramref name="path"/>, reads and validates its header, and keeps the file open for reads.</summary>
    /// <exception cref="UserError">The file is missing, is a pickle checkpoint, or its header is invalid.</exception>
    public static SafetensorsFile Open(string path)
    {
        PickleGuard.ThrowIfPickle(path);
        if (!File.Exists(path))
            throw new UserError(Directory.Exists(path)
                ? $"{path}: is a folder, not a .safetensors file"
                : $"{path}: file not found");
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return new SafetensorsFile(path, handle, SafetensorsHeader.Read(path, handle));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    /// <summary>The free-form string map stored under "__metadata__" (e.g. {"format": "pt"}); empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata => header.Metadata;

    /// <summary>The tensors, in file order (ascending offsets).</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => header.Tensors;

    /// <summary>Absolute file offset where the data area begins (8 + header length).</summary>
    public long DataStart => header.DataStart;

    /// <summary>True when the file holds a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => byName.ContainsKey(name);

    /// <summary>The header entry of tensor <paramref name="name"/>.</summary>
    /// <exception cref="UserError">No such tensor.</exception>
    public SafetensorsTensorInfo this[string name] =>
        byName.TryGetValue(name, out var info) ? info : throw new UserError($"{Path}: no tensor '{name}' in this file");

    /// <summary>
    /// Reads one tensor into a new CPU tensor; with <paramref name="dtype"/> it is converted after reading
    /// (e.g. BF16/F16 → Float32), costing one temporary of the stored size.
    /// </summary>
    public torch.Tensor Read(string name, torch.ScalarType? dtype = null)
    {
        var info = this[name];
        var stored = SafetensorsDType.ToScalarType(info.DType);
        var tensor = torch.empty(info.Shape, stored);
        try
        {
            ReadBytes(info, tensor);
            if (dtype is null || dtype == stored) return tensor;
            using (tensor) return tensor.to(dtype.Value);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> into <paramref name="destination"/> (same element count required;
    /// callers check the shape). When the destination is a contiguous CPU tensor of the stored dtype the bytes go
    /// straight into it; otherwise one temporary of the stored size is read and <c>copy_</c> converts dtype and device.
    /// Call under <c>torch.no_grad()</c> when the destination is a parameter.
    /// </summary>
    public void ReadInto(string name, torch.Tensor destination)
    {
        var info = this[name];
        if (destination.numel() != info.ElementCount)
            throw new ArgumentException(
                $"tensor '{name}' has {info.ElementCount} elements, the destination {destination.numel()}", nameof(destination));
        var stored = SafetensorsDType.ToScalarType(info.DType);
        if (destination.device_type == DeviceType.CPU && destination.is_contiguous() && destination.dtype == stored)
        {
            ReadBytes(info, destination);
            return;
        }
        using var temp = torch.empty(info.Shape, stored);
        ReadBytes(info, temp);
        using var shaped = temp.view(destination.shape);
        destination.copy_(shaped);
    }

    void ReadBytes(SafetensorsTensorInfo info, torch.Tensor target)
    {
        long fileOffset = header.DataStart + info.Begin;
        TensorBytes.ForEachChunk(target, (chunk, offset) =>
            SafetensorsHeader.ReadExactly(Path, file, chunk, fileOffset + offset));
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => file.Dispose();
}
