using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Models.Common;

/// <summary>
/// Embedding tables that stay unallocated on the meta device. TorchSharp's <c>nn.Embedding</c> builds its weight
/// on the CPU and then moves it, so a model built on the meta device (loaders check config.json against the
/// checkpoint's shapes that way before allocating anything) would still allocate rows × dim floats: a config.json
/// claiming 2^30 tokens asked for 256 GB (found by fuzzing, docs/RELIABILITY.md).
/// </summary>
public static class Embeddings
{
    /// <summary>An embedding of <paramref name="rows"/> × <paramref name="dim"/>, as <c>nn.Embedding</c> builds it.</summary>
    public static Embedding Create(long rows, long dim, Device? device, ScalarType? dtype, long? paddingIdx = null)
    {
        if (device is null || device.type != DeviceType.META)
            return nn.Embedding(rows, dim, padding_idx: paddingIdx, device: device, dtype: dtype);
        // Embedding_from_pretrained copies through the CPU as well: build a one-row table and give it a meta weight
        // (padding only shapes initialisation and gradients, neither of which exists on the meta device).
        var table = nn.Embedding(1, dim, dtype: dtype);
        table.weight = new Parameter(empty(rows, dim, dtype: dtype, device: device));
        return table;
    }
}
