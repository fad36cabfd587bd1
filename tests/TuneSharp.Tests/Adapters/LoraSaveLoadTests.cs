using System.Text.Json.Nodes;
using TuneSharp.Adapters;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Tests.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Adapters;

/// <summary>Saving and loading adapters in PEFT's exact format, and the errors bad adapter folders give.</summary>
public class LoraSaveLoadTests
{
    [Fact]
    public void Resaved_fixture_has_peft_keys_shapes_and_bit_identical_tensors()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var tmp = new TempFolder();
        var lora = LoraModel.Load(model.Module, LoraKit.Adapter);
        string dir = tmp["adapter"];
        lora.Save(dir);

        string ours = Path.Combine(dir, LoraModel.WeightsFileName), theirs = Path.Combine(LoraKit.Adapter, LoraModel.WeightsFileName);
        var expected = LoraKit.Shapes(theirs);
        var actual = LoraKit.Shapes(ours);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected) Assert.Equal(shape, actual[key]);
        using (var a = SafetensorsFile.Open(ours))
        using (var b = SafetensorsFile.Open(theirs))
        {
            Assert.Equal("pt", a.Metadata["format"]);
            foreach (var key in expected.Keys)
            {
                using var x = a.Read(key);
                using var y = b.Read(key);
                Assert.True(Reference.BitEqual(x, y), key);
            }
        }

        // The config carries what PEFT needs, with the fixture's values.
        var config = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, LoraConfigJson.FileName)))!;
        var fixture = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(LoraKit.Adapter, LoraConfigJson.FileName)))!;
        foreach (var key in new[] { "peft_type", "r", "lora_alpha", "lora_dropout", "target_modules", "bias", "fan_in_fan_out",
                     "use_rslora", "use_dora", "modules_to_save", "inference_mode", "init_lora_weights", "rank_pattern", "alpha_pattern", "task_type" })
        {
            Assert.True(config.ContainsKey(key), $"adapter_config.json lacks '{key}'");
            Assert.True(JsonNode.DeepEquals(fixture[key], config[key]), $"'{key}': ours {config[key]?.ToJsonString()}, peft {fixture[key]?.ToJsonString()}");
        }
        Assert.All(config.Select(p => p.Key), k => Assert.True(fixture.ContainsKey(k), $"'{k}' is not a PEFT 0.21 key"));
        Assert.Equal(config.Select(p => p.Key).Order(StringComparer.Ordinal), config.Select(p => p.Key)); // sorted, as PEFT writes
        string text = File.ReadAllText(Path.Combine(dir, LoraConfigJson.FileName));
        Assert.Contains("\n  \"lora_alpha\": 8,\n  \"lora_bias\": false,\n  \"lora_dropout\": 0.0,\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_then_load_round_trips_trained_weights_and_config()
    {
        using var scope = NewDisposeScope();
        using var a = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var b = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var reference = new Reference("tiny-llama-lora");
        using var tmp = new TempFolder();
        manual_seed(11);
        var config = new LoraConfig
        {
            r = 2, lora_alpha = 5, use_rslora = true, target_modules = ["gate_proj", "down_proj"], layers_to_transform = [1],
            init_lora_weights = false, task_type = "CAUSAL_LM", base_model_name_or_path = "tiny-llama",
        };
        var saved = LoraModel.Apply(a.Module, config);
        Assert.Equal(["model.layers.1.mlp.gate_proj", "model.layers.1.mlp.down_proj"], saved.Layers.Select(l => l.Path));
        saved.Save(tmp.Path);

        var loaded = LoraModel.Load(b.Module, tmp.Path, isTrainable: true);
        Assert.Equal(config with { inference_mode = false }, loaded.Config with { target_modules = config.target_modules, layers_to_transform = config.layers_to_transform });
        Assert.Equal(config.target_modules, loaded.Config.target_modules);
        Assert.Equal(config.layers_to_transform, loaded.Config.layers_to_transform);
        var before = saved.AdapterTensors();
        var after = loaded.AdapterTensors();
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, t) in before) Assert.True(Reference.BitEqual(t, after[key]), key);
        Assert.True(Reference.BitEqual(LoraKit.Logits(a, reference), LoraKit.Logits(b, reference)));
        Assert.All(loaded.TrainableParameters(), p => Assert.True(p.requires_grad));
        Assert.Equal(4, loaded.TrainableParameters().Count());
    }

    [Fact]
    public void Modules_to_save_round_trip_on_a_bert_classifier()
    {
        using var scope = NewDisposeScope();
        string bertDir = Fixtures.HfTiny("tiny-bert-cls");
        using var a = Pretrained.LoadBertClassifier(bertDir);
        using var b = Pretrained.LoadBertClassifier(bertDir);
        using var reference = new Reference("tiny-bert-cls");
        using var tmp = new TempFolder();
        // SEQ_CLS adds PEFT's head names to modules_to_save; the model has 'classifier'.
        var lora = LoraModel.Apply(a, new LoraConfig { r = 4, target_modules = ["query", "value"], task_type = "SEQ_CLS", init_lora_weights = false });
        Assert.Equal(["classifier"], lora.ModulesToSave);
        Assert.True(a.classifier.parameters().All(p => p.requires_grad));
        using (no_grad())
            foreach (var p in a.classifier.parameters()) p.add_(0.5f); // stands in for training the head

        lora.Save(tmp.Path);
        var keys = LoraKit.Shapes(Path.Combine(tmp.Path, LoraModel.WeightsFileName));
        Assert.Equal(new long[] { 3, 64 }, keys["base_model.model.classifier.weight"]);
        Assert.Equal(new long[] { 3 }, keys["base_model.model.classifier.bias"]);
        Assert.Contains("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight", keys.Keys);
        Assert.Equal(2 + 2 * 2 * 2, keys.Count);

        LoraModel.Load(b, tmp.Path);
        using var _ = no_grad();
        var ids = reference["input_ids"];
        var mask = reference["attention_mask"];
        Assert.True(Reference.BitEqual(a.classifier.parameters().First(), b.classifier.parameters().First()));
        Assert.True(Reference.BitEqual(a.Forward(ids, mask), b.Forward(ids, mask)));
    }

    [Fact]
    public void Failed_load_leaves_the_model_untouched()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var tmp = new TempFolder();
        CopyFixture(tmp.Path);
        EditConfig(tmp.Path, c => c["r"] = 8); // the file holds rank 4
        var keys = model.Module.state_dict().Keys.ToList();

        var e = Assert.Throws<UserError>(() => LoraModel.Load(model.Module, tmp.Path));
        Assert.Contains(LoraModel.WeightsFileName, e.Message, StringComparison.Ordinal);
        Assert.Contains("'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight'", e.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 64]", e.Message, StringComparison.Ordinal);
        Assert.Equal(keys, model.Module.state_dict().Keys.ToList());
        Assert.DoesNotContain(model.Module.modules(), m => m is LoraLinear);
        Assert.All(model.Module.parameters(), p => Assert.True(p.requires_grad));
    }

    [Theory]
    [InlineData("lora_bias", "true")]
    [InlineData("rank_pattern", "{\"q_proj\": 8}")]
    [InlineData("alpha_pattern", "{\"q_proj\": 8}")]
    [InlineData("bias", "\"all\"")]
    [InlineData("peft_type", "\"IA3\"")]
    [InlineData("init_lora_weights", "\"pissa\"")]
    public void Unsupported_config_features_name_the_file_and_key(string key, string json)
    {
        using var tmp = new TempFolder();
        CopyFixture(tmp.Path);
        EditConfig(tmp.Path, c => c[key] = JsonNode.Parse(json));
        var e = Assert.Throws<UserError>(() => LoraConfigJson.Read(Path.Combine(tmp.Path, LoraConfigJson.FileName)));
        Assert.StartsWith(Path.Combine(tmp.Path, LoraConfigJson.FileName) + ": key '" + key + "'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_that_matches_nothing_is_listed()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var tmp = new TempFolder();
        CopyFixture(tmp.Path);
        EditConfig(tmp.Path, c => c["target_modules"] = new JsonArray("q_proj", "qkv_proj", "v_proj", "w1"));
        var e = Assert.Throws<UserError>(() => LoraModel.Load(model.Module, tmp.Path));
        Assert.Equal($"{Path.Combine(tmp.Path, LoraConfigJson.FileName)}: key 'target_modules': 'qkv_proj', 'w1' matched no module of the model", e.Message);

        var apply = Assert.Throws<UserError>(() => LoraModel.Apply(model.Module, new LoraConfig { target_modules = ["model.norm"] }));
        Assert.Contains("'model.norm' is a RmsNorm", apply.Message, StringComparison.Ordinal);
        var save = Assert.Throws<UserError>(() => LoraModel.Apply(model.Module, new LoraConfig { target_modules = ["q_proj"], modules_to_save = ["head"] }));
        Assert.Contains("key 'modules_to_save': 'head' matched no module", save.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(model.Module.modules(), m => m is LoraLinear);
    }

    [Fact]
    public void Unexpected_and_missing_tensors_name_the_file_and_key()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var tmp = new TempFolder();
        CopyFixture(tmp.Path);
        string weights = Path.Combine(tmp.Path, LoraModel.WeightsFileName);

        // Only q_proj in the config: the v_proj tensors in the file are unexpected.
        EditConfig(tmp.Path, c => c["target_modules"] = new JsonArray("q_proj"));
        var e = Assert.Throws<UserError>(() => LoraModel.Load(model.Module, tmp.Path));
        Assert.StartsWith($"{weights}: tensor 'base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight' is unexpected", e.Message, StringComparison.Ordinal);

        // k_proj added to the config: its tensors are missing from the file.
        EditConfig(tmp.Path, c => c["target_modules"] = new JsonArray("q_proj", "k_proj", "v_proj"));
        e = Assert.Throws<UserError>(() => LoraModel.Load(model.Module, tmp.Path));
        Assert.StartsWith($"{weights}: tensor 'base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight' is missing", e.Message, StringComparison.Ordinal);

        Directory.Delete(tmp.Path, recursive: true);
        Assert.Throws<UserError>(() => LoraModel.Load(model.Module, tmp.Path));
    }

    static void CopyFixture(string dir)
    {
        foreach (var name in new[] { LoraConfigJson.FileName, LoraModel.WeightsFileName })
            File.Copy(Path.Combine(LoraKit.Adapter, name), Path.Combine(dir, name), overwrite: true);
    }

    static void EditConfig(string dir, Action<JsonObject> edit)
    {
        string path = Path.Combine(dir, LoraConfigJson.FileName);
        var root = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        edit(root);
        File.WriteAllText(path, root.ToJsonString());
    }
}
