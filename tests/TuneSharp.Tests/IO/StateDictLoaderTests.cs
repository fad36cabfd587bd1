using TorchSharp;
using TuneSharp.IO;
using static TorchSharp.torch;

namespace TuneSharp.Tests.IO;

public class StateDictLoaderTests
{
    /// <summary>9 state keys: fc1 (8×4, 8), bn (weight, bias; buffers running_mean, running_var, num_batches_tracked), fc2 (3×8, 3).</summary>
    static nn.Module Model() => nn.Sequential(
        ("fc1", nn.Linear(4, 8)), ("bn", nn.BatchNorm1d(8)), ("act", nn.ReLU()), ("fc2", nn.Linear(8, 3)));

    static Dictionary<string, Tensor> State(nn.Module m) =>
        m.named_parameters().Select(p => (p.name, (Tensor)p.parameter))
            .Concat(m.named_buffers())
            .ToDictionary(p => p.Item1, p => p.Item2);

    /// <summary>A checkpoint with the model's keys and shapes and fresh random values (plus edits).</summary>
    static string SaveCheckpoint(TempDir dir, nn.Module like, Action<Dictionary<string, Tensor>>? edit = null)
    {
        manual_seed(7);
        var tensors = State(like).ToDictionary(p => p.Key, p => p.Value.dtype == ScalarType.Int64
            ? tensor(41L) : randn(p.Value.shape));
        edit?.Invoke(tensors);
        CheckpointWriter.Save(dir.Path, tensors);
        return dir.Path;
    }

    [Fact]
    public void Loads_parameters_and_buffers_bit_exactly()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var model = Model();
        using var ck = Checkpoint.Open(SaveCheckpoint(dir, model));
        var report = StateDictLoader.Load(model, ck);

        Assert.Equal(9, report.Loaded.Count);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);
        foreach (var (key, t) in State(model))
            TensorAssert.Identical(ck.Read(key), t, key);
        Assert.Equal(41L, model.get_buffer("bn.num_batches_tracked")!.item<long>());
        Assert.True(((Tensor)model.named_parameters().First().parameter).requires_grad);
    }

    [Fact]
    public void Converts_a_half_precision_checkpoint_to_the_parameter_dtype()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var model = Model();
        SaveCheckpoint(dir, model);
        using (var ck = Checkpoint.Open(dir.Path))
            CheckpointWriter.Save(dir.Path, ck.Keys.Select(k => KeyValuePair.Create(k, ck.Read(k))).ToList(), dtype: ScalarType.BFloat16);
        using var half = Checkpoint.Open(dir.Path);
        Assert.Equal("BF16", half.Info("fc1.weight").DType);
        StateDictLoader.Load(model, half);
        var w = model.named_parameters().Single(p => p.name == "fc1.weight").parameter;
        Assert.Equal(ScalarType.Float32, w.dtype);
        TensorAssert.Identical(half.Read("fc1.weight", ScalarType.Float32), w, "x");
    }

    [Fact]
    public void Missing_key_names_the_file_and_key_and_leaves_the_module_untouched()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var model = Model();
        var before = State(model).ToDictionary(p => p.Key, p => p.Value.clone());
        using var ck = Checkpoint.Open(SaveCheckpoint(dir, model, t => t.Remove("fc2.bias")));

        var e = Assert.Throws<UserError>(() => StateDictLoader.Load(model, ck));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("'fc2.bias'", e.Message);
        Assert.Contains("missing", e.Message);
        foreach (var (key, t) in State(model)) TensorAssert.Identical(before[key], t, key);
    }

    [Fact]
    public void Unexpected_key_names_the_file_and_key()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var model = Model();
        using var ck = Checkpoint.Open(SaveCheckpoint(dir, model, t => t["fc3.weight"] = zeros(2, 2)));
        var e = Assert.Throws<UserError>(() => StateDictLoader.Load(model, ck));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Contains("'fc3.weight'", e.Message);
        Assert.Contains("unexpected", e.Message);
    }

    [Fact]
    public void Shape_mismatch_names_file_key_and_both_shapes_even_when_not_strict()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var model = Model();
        using var ck = Checkpoint.Open(SaveCheckpoint(dir, model, t => t["fc1.weight"] = zeros(8, 5)));
        foreach (bool strict in new[] { true, false })
        {
            var e = Assert.Throws<UserError>(() => StateDictLoader.Load(model, ck, strict));
            Assert.Contains("model.safetensors", e.Message);
            Assert.Contains("'fc1.weight'", e.Message);
            Assert.Contains("[8, 5]", e.Message);
            Assert.Contains("[8, 4]", e.Message);
        }
    }

    [Fact]
    public void Tied_keys_may_be_missing()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var model = Model();
        using var ck = Checkpoint.Open(SaveCheckpoint(dir, model, t => t.Remove("fc2.weight")));
        var report = StateDictLoader.Load(model, ck, tiedKeys: ["fc2.weight"]);
        Assert.Equal(["fc2.weight"], report.Missing);
        Assert.Equal(8, report.Loaded.Count);
    }

    [Fact]
    public void Not_strict_reports_missing_and_unexpected_and_loads_the_rest()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var model = Model();
        using var ck = Checkpoint.Open(SaveCheckpoint(dir, model, t =>
        {
            t.Remove("fc2.bias");
            t["extra"] = zeros(1);
        }));
        var report = StateDictLoader.Load(model, ck, strict: false);
        Assert.Equal(["fc2.bias"], report.Missing);
        Assert.Equal(["extra"], report.Unexpected);
        TensorAssert.Identical(ck.Read("fc1.weight"), State(model)["fc1.weight"], "x");
    }

    [Fact]
    public void Loads_from_a_sharded_checkpoint()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var model = Model();
        SaveCheckpoint(dir, model);
        using (var ck = Checkpoint.Open(dir.Path))
            CheckpointWriter.Save(dir.Path, ck.Keys.Select(k => KeyValuePair.Create(k, ck.Read(k))).ToList(), maxShardBytes: 64);
        using var sharded = Checkpoint.Open(dir.Path);
        Assert.True(sharded.Files.Count > 1);
        StateDictLoader.Load(model, sharded);
        foreach (var (key, t) in State(model)) TensorAssert.Identical(sharded.Read(key), t, key);
    }
}
