using TorchSharp;

namespace TuneSharp.IO;

/// <summary>
/// The weights of a Hugging Face model folder: <c>model.safetensors</c>, or <c>model.safetensors.index.json</c> and
/// its shards. Every file is opened and its header validated at <see cref="Open"/>; tensors are read on demand.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    /// <summary>The single-file weights name Hugging Face uses.</summary>
    public const string SingleFileName = "model.safetensors";

    readonly Dictionary<string, SafetensorsFile> fileOfKey;
    readonly List<SafetensorsFile> files;

    Checkpoint(string source, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> fileOfKey)
    {
        Source = source;
        this.files = files;
        this.fileOfKey = fileOfKey;
    }

    /// <summary>
    /// Opens a model folder (model.safetensors, else model.safetensors.index.json), an index file, or one
    /// .safetensors file.
    /// </summary>
    /// <exception cref="UserError">Nothing loadable is there, a shard is missing or invalid, the index disagrees
    /// with a shard, or the weights are a pickle checkpoint (pytorch_model.bin).</exception>
    public static Checkpoint Open(string modelDir)
    {
        if (Directory.Exists(modelDir))
        {
            string single = Path.Combine(modelDir, SingleFileName);
            if (File.Exists(single)) return OpenSingle(single);
            string index = Path.Combine(modelDir, CheckpointIndex.FileName);
            if (File.Exists(index)) return OpenSharded(index);
            foreach (var pickle in new[] { "pytorch_model.bin", "pytorch_model.bin.index.json" })
            {
                string candidate = Path.Combine(modelDir, pickle);
                if (File.Exists(candidate)) PickleGuard.ThrowIfPickle(candidate);
            }
            throw new UserError($"{modelDir}: no {SingleFileName} or {CheckpointIndex.FileName} in this folder");
        }
        PickleGuard.ThrowIfPickle(modelDir);
        if (!File.Exists(modelDir)) throw new UserError($"{modelDir}: no such file or folder");
        if (modelDir.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase)) return OpenSharded(modelDir);
        return OpenSingle(modelDir);
    }

    static Checkpoint OpenSingle(string path)
    {
        var file = SafetensorsFile.Open(path);
        return new Checkpoint(path, [file], file.Tensors.ToDictionary(t => t.Name, _ => file, StringComparer.Ordinal));
    }

    static Checkpoint OpenSharded(string indexPath)
    {
        var index = CheckpointIndex.Read(indexPath);
        string folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var shardNames = index.WeightMap.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var shard in shardNames)
            if (!File.Exists(Path.Combine(folder, shard)))
                throw new UserError($"{indexPath}: shard '{shard}' is missing (expected at {Path.Combine(folder, shard)})");

        var opened = new List<SafetensorsFile>();
        try
        {
            var byName = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var shard in shardNames)
            {
                var file = SafetensorsFile.Open(Path.Combine(folder, shard));
                opened.Add(file);
                byName[shard] = file;
            }
            var fileOfKey = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var (key, shard) in index.WeightMap)
            {
                var file = byName[shard];
                if (!file.Contains(key))
                    throw new UserError($"{indexPath}: tensor '{key}' is mapped to '{shard}', which does not contain it");
                fileOfKey[key] = file;
            }
            return new Checkpoint(indexPath, opened, fileOfKey);
        }
        catch
        {
            foreach (var f in opened) f.Dispose();
            throw;
        }
    }

    /// <summary>What was opened: the .safetensors file, or the index file of a sharded checkpoint (for messages).</summary>
    public string Source { get; }

    /// <summary>The open files (one, or one per shard).</summary>
    public IReadOnlyList<SafetensorsFile> Files => files;

    /// <summary>Every tensor name in the checkpoint.</summary>
    public IReadOnlyCollection<string> Keys => fileOfKey.Keys;

    /// <summary>True when the checkpoint holds <paramref name="key"/>.</summary>
    public bool Contains(string key) => fileOfKey.ContainsKey(key);

    /// <summary>The header entry of <paramref name="key"/>.</summary>
    public SafetensorsTensorInfo Info(string key) => Require(key)[key];

    /// <summary>The path of the file holding <paramref name="key"/>.</summary>
    public string FileOf(string key) => Require(key).Path;

    /// <summary>Reads <paramref name="key"/> into a new CPU tensor, converted to <paramref name="dtype"/> when given.</summary>
    public torch.Tensor Read(string key, torch.ScalarType? dtype = null) => Require(key).Read(key, dtype);

    /// <summary>Copies <paramref name="key"/> into <paramref name="destination"/>; see <see cref="SafetensorsFile.ReadInto"/>.</summary>
    public void ReadInto(string key, torch.Tensor destination) => Require(key).ReadInto(key, destination);

    SafetensorsFile Require(string key) =>
        fileOfKey.TryGetValue(key, out var f) ? f : throw new UserError($"{Source}: no tensor '{key}' in this checkpoint");

    /// <summary>Closes every file.</summary>
    public void Dispose()
    {
        foreach (var f in files) f.Dispose();
    }
}
