using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TuneSharp.IO;
using static TorchSharp.torch;

namespace TuneSharp.Training.Distillation;

/// <summary>
/// DistilBERT's student initialisation (Sanh et al. 2019, §3): a shallower copy of a transformer whose layer i is the
/// teacher's layer <c>layers[i]</c>, with the embeddings, final norm and any task head copied unchanged. Works on the
/// saved Hugging Face folder, tensor by tensor, so every architecture whose blocks are numbered
/// <c>encoder.layer.N</c> (BERT), <c>model.layers.N</c> (Llama, Qwen2, Mistral) or <c>transformer.h.N</c> (GPT-2) shrinks
/// the same way; config.json keeps everything (id2label, pooling) but the layer count.
/// </summary>
public static partial class StudentInit
{
    // The numbered block in a key: "bert.encoder.layer.3.attention..." → prefix "bert.encoder.layer.", 3, rest.
    [GeneratedRegex(@"^(.*?(?:^|\.)(?:layer|layers|h)\.)(\d+)(\..*)$")]
    private static partial Regex BlockKey();

    static readonly string[] LayerCountKeys = ["num_hidden_layers", "n_layer"];

    // Files that describe the teacher itself (its card, its lineage) or its weights: not copied to the student.
    static readonly HashSet<string> NotCopied = new(StringComparer.Ordinal) { "model.safetensors", "README.md", "lineage.json", CheckpointIndex.FileName };

    /// <summary>DistilBERT's choice: every other layer from the bottom, 0, 2, 4, ... (half the depth, rounded up).</summary>
    public static int[] EveryOther(int teacherLayers) => Enumerable.Range(0, (teacherLayers + 1) / 2).Select(i => 2 * i).ToArray();

    /// <summary>The teacher's number of blocks (num_hidden_layers, or n_layer for GPT-2).</summary>
    public static int LayerCount(string modelDir)
    {
        var config = Models.Pretrained.Config(modelDir);
        var key = LayerCountKeys.FirstOrDefault(config.Has) ?? throw new UserError($"{config.Path}: no num_hidden_layers or n_layer, so its layers cannot be chosen");
        return config.Int(key);
    }

    /// <summary>
    /// Writes the student folder <paramref name="outDir"/> (atomically): config.json with the new layer count,
    /// model.safetensors with block <c>layers[i]</c> renumbered to <c>i</c> and every non-block tensor copied, and the
    /// tokenizer and other side files copied. Returns the number of tensors written.
    /// </summary>
    public static int Shrink(string teacherDir, IReadOnlyList<int> layers, string outDir)
    {
        int teacherLayers = LayerCount(teacherDir);
        Validate(layers, teacherLayers);
        var weights = Path.Combine(teacherDir, "model.safetensors");
        if (!File.Exists(weights))
            throw new UserError(File.Exists(Path.Combine(teacherDir, CheckpointIndex.FileName))
                ? $"{teacherDir}: sharded checkpoints are not supported by shrink; save the teacher as one model.safetensors"
                : $"{teacherDir}: no model.safetensors");
        if (Path.GetFullPath(teacherDir).TrimEnd('/') == Path.GetFullPath(outDir).TrimEnd('/'))
            throw new UserError($"--out: {outDir} is the teacher's own folder");
        var configPath = Path.Combine(teacherDir, "config.json");
        var config = JsonFile.ReadObject(configPath);
        foreach (var key in LayerCountKeys) if (config[key] is not null) config[key] = layers.Count;
        // Per-layer lists (Qwen2's layer_types, for instance) follow the chosen layers.
        foreach (var (key, node) in config.ToList())
            if (node is JsonArray list && list.Count == teacherLayers && key.StartsWith("layer", StringComparison.Ordinal))
                config[key] = new JsonArray(layers.Select(l => list[l]?.DeepClone()).ToArray());

        int written = 0;
        AtomicFolder.Write(outDir, temp =>
        {
            using (var file = SafetensorsFile.Open(weights))
            using (var scope = NewDisposeScope())
            {
                var tensors = new List<KeyValuePair<string, Tensor>>();
                foreach (var info in file.Tensors)
                {
                    var name = StudentKey(info.Name, layers);
                    if (name is not null) tensors.Add(new(name, file.Read(info.Name)));
                }
                SafetensorsWriter.Write(Path.Combine(temp, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
                written = tensors.Count;
            }
            File.WriteAllText(Path.Combine(temp, "config.json"), config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            CopySideFiles(teacherDir, temp);
        });
        return written;
    }

    /// <summary>The student's name of teacher tensor <paramref name="key"/>: renumbered when its block is kept, null when dropped, unchanged outside the blocks.</summary>
    public static string? StudentKey(string key, IReadOnlyList<int> layers)
    {
        var m = BlockKey().Match(key);
        if (!m.Success) return key;
        int teacherLayer = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        int i = IndexOf(layers, teacherLayer);
        return i < 0 ? null : m.Groups[1].Value + i.ToString(CultureInfo.InvariantCulture) + m.Groups[3].Value;
    }

    static int IndexOf(IReadOnlyList<int> layers, int value)
    {
        for (int i = 0; i < layers.Count; i++) if (layers[i] == value) return i;
        return -1;
    }

    static void Validate(IReadOnlyList<int> layers, int teacherLayers)
    {
        if (layers.Count == 0) throw new UserError("--layers: give at least one teacher layer");
        foreach (var l in layers)
            if (l < 0 || l >= teacherLayers) throw new UserError($"--layers: {l} is not a teacher layer (0..{teacherLayers - 1})");
        for (int i = 1; i < layers.Count; i++)
            if (layers[i] <= layers[i - 1]) throw new UserError($"--layers: must increase (a layer once, in the teacher's order), got {string.Join(",", layers)}");
    }

    static void CopySideFiles(string from, string to)
    {
        foreach (var path in Directory.EnumerateFiles(from))
        {
            var name = Path.GetFileName(path);
            if (NotCopied.Contains(name) || name == "config.json" || name.EndsWith(".safetensors", StringComparison.Ordinal)) continue;
            File.Copy(path, Path.Combine(to, name));
        }
        // sentence-transformers keeps its pooling settings in sub-folders (1_Pooling/config.json).
        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.') || name is "checkpoints") continue;
            var target = Path.Combine(to, name);
            Directory.CreateDirectory(target);
            foreach (var f in Directory.EnumerateFiles(dir)) File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
        }
    }
}
