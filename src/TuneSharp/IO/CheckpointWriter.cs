using System.Text.RegularExpressions;
using TorchSharp;

namespace TuneSharp.IO;

/// <summary>
/// Saves model weights the way Hugging Face <c>save_pretrained</c> does: <c>model.safetensors</c>, or, past
/// <c>maxShardBytes</c>, <c>model-00001-of-0000N.safetensors</c> shards plus <c>model.safetensors.index.json</c>.
/// Each file carries the metadata {"format": "pt"}, so transformers loads it as a PyTorch checkpoint.
/// </summary>
public static partial class CheckpointWriter
{
    /// <summary>Hugging Face's default shard limit, "5GB" = 5 × 10^9 bytes.</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    static readonly IReadOnlyDictionary<string, string> ptMetadata = new Dictionary<string, string> { ["format"] = "pt" };

    /// <summary>
    /// Writes <paramref name="tensors"/> into <paramref name="dir"/> (created if needed). Each file is written
    /// atomically, shards before the index; weight files of an earlier save that this one does not replace are
    /// removed afterwards. Wrap in <see cref="AtomicFolder.Write"/> to replace a whole model folder atomically.
    /// </summary>
    /// <param name="dir">The model folder.</param>
    /// <param name="tensors">Name → tensor, in the order used to fill shards (HF iterates the state dict in order).
    /// Tied weights must be given once (Hugging Face drops the tied copy, e.g. lm_head.weight).</param>
    /// <param name="maxShardBytes">Shard limit in bytes; a single tensor larger than it gets a shard of its own.</param>
    /// <param name="dtype">When given, floating-point tensors are stored in this dtype (e.g. BFloat16);
    /// integer and bool tensors keep theirs. Conversion happens one tensor at a time.</param>
    public static void Save(string dir, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors,
        long maxShardBytes = DefaultMaxShardBytes, torch.ScalarType? dtype = null)
    {
        if (maxShardBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxShardBytes), "must be positive");
        var list = tensors.ToList();
        var shards = Split(list, maxShardBytes, dtype, out long totalSize);
        Directory.CreateDirectory(dir);

        var written = new HashSet<string>(StringComparer.Ordinal);
        if (shards.Count == 1)
        {
            SafetensorsWriter.Write(Path.Combine(dir, Checkpoint.SingleFileName), shards[0], ptMetadata, dtype);
            written.Add(Checkpoint.SingleFileName);
        }
        else
        {
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < shards.Count; i++)
            {
                string name = CheckpointIndex.ShardFileName(i + 1, shards.Count);
                SafetensorsWriter.Write(Path.Combine(dir, name), shards[i], ptMetadata, dtype);
                foreach (var (key, _) in shards[i]) weightMap[key] = name;
                written.Add(name);
            }
            long parameters = list.Sum(p => p.Value.numel());
            var index = new CheckpointIndex(weightMap, totalSize, parameters);
            AtomicFile.WriteAllText(Path.Combine(dir, CheckpointIndex.FileName), index.ToJson());
            written.Add(CheckpointIndex.FileName);
        }
        RemoveStaleWeights(dir, written);
    }

    /// <summary>
    /// Hugging Face's split (huggingface_hub <c>split_state_dict_into_shards_factory</c>): walk the tensors in order;
    /// one larger than the limit gets a shard to itself; otherwise start a new shard when adding it would pass the limit.
    /// </summary>
    static List<List<KeyValuePair<string, torch.Tensor>>> Split(List<KeyValuePair<string, torch.Tensor>> tensors,
        long maxShardBytes, torch.ScalarType? dtype, out long totalSize)
    {
        var shards = new List<List<KeyValuePair<string, torch.Tensor>>>();
        var current = new List<KeyValuePair<string, torch.Tensor>>();
        long currentSize = 0;
        totalSize = 0;
        foreach (var pair in tensors)
        {
            var t = pair.Value;
            var stored = dtype is { } d && t.is_floating_point() ? d : t.dtype;
            long size = t.numel() * SafetensorsDType.ElementSize(SafetensorsDType.FromScalarType(stored));
            totalSize += size;
            if (size > maxShardBytes)
            {
                shards.Add([pair]);
                continue;
            }
            if (currentSize + size > maxShardBytes && current.Count > 0)
            {
                shards.Add(current);
                current = [];
                currentSize = 0;
            }
            current.Add(pair);
            currentSize += size;
        }
        if (current.Count > 0 || shards.Count == 0) shards.Add(current);
        return shards;
    }

    [GeneratedRegex(@"^model(-\d{5}-of-\d{5})?\.safetensors$|^model\.safetensors\.index\.json$")]
    private static partial Regex WeightFileName();

    static void RemoveStaleWeights(string dir, HashSet<string> written)
    {
        foreach (var path in Directory.EnumerateFiles(dir))
        {
            string name = Path.GetFileName(path);
            if (WeightFileName().IsMatch(name) && !written.Contains(name)) File.Delete(path);
        }
    }
}
