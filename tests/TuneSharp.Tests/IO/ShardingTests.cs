using TorchSharp;
using TuneSharp.IO;

namespace TuneSharp.Tests.IO;

public class ShardingTests
{
    [Fact]
    public void Sharded_save_writes_hf_names_and_index_and_loads_back_identical()
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        using var original = Checkpoint.Open(Fixtures.HfTiny("tiny-llama"));
        // HF iterates the state dict in order; use a fixed order so the expected split is known.
        var tensors = original.Keys.Order(StringComparer.Ordinal).Select(k => KeyValuePair.Create(k, original.Read(k))).ToList();
        long limit = 200_000; // embed/lm_head are 131072 bytes each: several shards
        CheckpointWriter.Save(dir.Path, tensors, maxShardBytes: limit);

        Assert.False(File.Exists(dir.File("model.safetensors")));
        var expectedShards = ExpectedSplit(tensors, limit);
        int n = expectedShards.Count;
        Assert.True(n > 2);
        var files = Directory.GetFiles(dir.Path).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList();
        var expectedFiles = Enumerable.Range(1, n).Select(i => $"model-{i:D5}-of-{n:D5}.safetensors")
            .Append("model.safetensors.index.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedFiles, files);

        // The exact text of json.dumps(index, indent=2, sort_keys=True) + "\n".
        long totalSize = tensors.Sum(t => t.Value.numel() * 4);
        long totalParams = tensors.Sum(t => t.Value.numel());
        var lines = new List<string> { "{", "  \"metadata\": {", $"    \"total_parameters\": {totalParams},",
            $"    \"total_size\": {totalSize}", "  },", "  \"weight_map\": {" };
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
            foreach (var key in expectedShards[i]) map[key] = $"model-{i + 1:D5}-of-{n:D5}.safetensors";
        lines.AddRange(map.Select((p, i) => $"    \"{p.Key}\": \"{p.Value}\"" + (i < map.Count - 1 ? "," : "")));
        lines.AddRange(["  }", "}", ""]);
        Assert.Equal(string.Join("\n", lines), File.ReadAllText(dir.File("model.safetensors.index.json")));

        using var saved = Checkpoint.Open(dir.Path);
        Assert.Equal(dir.File("model.safetensors.index.json"), saved.Source);
        Assert.Equal(original.Keys.Order(), saved.Keys.Order());
        foreach (var (key, value) in tensors)
        {
            Assert.Equal(dir.File(map[key]), saved.FileOf(key));
            TensorAssert.Identical(value, saved.Read(key), key);
        }
        Assert.Equal(n, saved.Files.Count);
        Assert.All(saved.Files, f => Assert.Equal("pt", f.Metadata["format"]));
    }

    /// <summary>huggingface_hub's rule, restated: big tensors alone; else a new shard when the limit would be passed.</summary>
    static List<List<string>> ExpectedSplit(List<KeyValuePair<string, torch.Tensor>> tensors, long limit)
    {
        var shards = new List<List<string>>();
        var current = new List<string>();
        long size = 0;
        foreach (var (key, t) in tensors)
        {
            long bytes = t.numel() * t.element_size();
            if (bytes > limit) { shards.Add([key]); continue; }
            if (size + bytes > limit && current.Count > 0) { shards.Add(current); current = []; size = 0; }
            current.Add(key);
            size += bytes;
        }
        if (current.Count > 0) shards.Add(current);
        return shards;
    }

    [Fact]
    public void A_tensor_over_the_limit_gets_its_own_shard_and_the_current_shard_continues()
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        // Sizes 40, 200, 40, 40 bytes, limit 100. As in huggingface_hub: "b" is over the limit and becomes a shard
        // at once while "a" stays in the shard being filled; "d" would pass the limit, so it starts the next one.
        var tensors = new List<KeyValuePair<string, torch.Tensor>>
        {
            new("a", torch.zeros(10)), new("b", torch.zeros(50)), new("c", torch.zeros(10)), new("d", torch.zeros(10)),
        };
        CheckpointWriter.Save(dir.Path, tensors, maxShardBytes: 100);
        var index = CheckpointIndex.Read(dir.File("model.safetensors.index.json"));
        Assert.Equal("model-00001-of-00003.safetensors", index.WeightMap["b"]);
        Assert.Equal("model-00002-of-00003.safetensors", index.WeightMap["a"]);
        Assert.Equal("model-00002-of-00003.safetensors", index.WeightMap["c"]);
        Assert.Equal("model-00003-of-00003.safetensors", index.WeightMap["d"]);
        Assert.Equal(320, index.TotalSize);
    }

    [Fact]
    public void Saving_unsharded_over_a_sharded_folder_removes_the_old_shards()
    {
        using var dir = new TempDir();
        using var scope = torch.NewDisposeScope();
        var tensors = new List<KeyValuePair<string, torch.Tensor>> { new("a", torch.ones(10)), new("b", torch.ones(10)) };
        CheckpointWriter.Save(dir.Path, tensors, maxShardBytes: 40);
        Assert.True(File.Exists(dir.File("model.safetensors.index.json")));
        File.WriteAllText(dir.File("config.json"), "{}");

        CheckpointWriter.Save(dir.Path, tensors);
        Assert.Equal(["config.json", "model.safetensors"],
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
