using System.Text.Json.Nodes;
using TuneSharp.Adapters;

namespace TuneSharp.Tests.Adapters;

/// <summary>Reading PEFT's adapter_config.json and writing one PEFT reads back the same.</summary>
public class LoraConfigJsonTests
{
    [Fact]
    public void Reads_the_peft_fixture_ignoring_unknown_keys()
    {
        var c = LoraConfigJson.Read(Path.Combine(LoraKit.Adapter, LoraConfigJson.FileName));
        Assert.Equal(4, c.r);
        Assert.Equal(8, c.lora_alpha);
        Assert.Equal(2.0, c.Scaling);
        Assert.Equal(TargetModules.FromNames(["q_proj", "v_proj"]), c.target_modules);
        Assert.False(c.init_lora_weights);
        Assert.True(c.inference_mode);
        Assert.Null(c.modules_to_save);
        Assert.Null(c.task_type);
    }

    [Fact]
    public void Written_json_reads_back_equal_with_regex_and_layer_lists()
    {
        var c = new LoraConfig
        {
            r = 16, lora_alpha = 7.5, lora_dropout = 0.05, target_modules = @"model\.layers\.\d+\.self_attn\.(q|v)_proj",
            exclude_modules = ["k_proj"], use_rslora = true, modules_to_save = ["score"], layers_to_transform = [0, 2],
            layers_pattern = ["layers"], task_type = "CAUSAL_LM", base_model_name_or_path = "org/model",
        };
        var json = (JsonObject)JsonNode.Parse(LoraConfigJson.ToJson(c))!;
        Assert.Equal(@"model\.layers\.\d+\.self_attn\.(q|v)_proj", (string?)json["target_modules"]);
        Assert.Equal(7.5, (double?)json["lora_alpha"]);
        Assert.Equal("LORA", (string?)json["peft_type"]);

        var back = LoraConfigJson.Parse(json, "test");
        Assert.Equal(c.target_modules, back.target_modules);
        Assert.Equal(c.exclude_modules, back.exclude_modules);
        Assert.Equal(c.modules_to_save, back.modules_to_save);
        Assert.Equal(c.layers_to_transform, back.layers_to_transform);
        Assert.Equal(c.layers_pattern, back.layers_pattern);
        Assert.Equal(c with { target_modules = null, exclude_modules = null, modules_to_save = null, layers_to_transform = null, layers_pattern = null },
            back with { target_modules = null, exclude_modules = null, modules_to_save = null, layers_to_transform = null, layers_pattern = null });
    }

    [Theory]
    [InlineData("{\"peft_type\": \"LORA\", \"r\": 0, \"target_modules\": [\"q_proj\"]}", "key 'r'")]
    [InlineData("{\"peft_type\": \"LORA\", \"r\": \"4\", \"target_modules\": [\"q_proj\"]}", "key 'r'")]
    [InlineData("{\"peft_type\": \"LORA\", \"r\": 4}", "key 'target_modules'")]
    [InlineData("{\"peft_type\": \"LORA\", \"target_modules\": \"(q_proj\"}", "key 'target_modules'")]
    [InlineData("{\"peft_type\": \"LORA\", \"target_modules\": [\"q_proj\"], \"lora_dropout\": 1.0}", "key 'lora_dropout'")]
    [InlineData("{\"r\": 4, \"target_modules\": [\"q_proj\"]}", "key 'peft_type'")]
    [InlineData("{\"peft_type\": \"LORA\", \"target_modules\": [\"q_proj\"], \"layer_replication\": [[0, 2]]}", "key 'layer_replication'")]
    public void Bad_values_name_the_key(string json, string key)
    {
        var e = Assert.Throws<UserError>(() => LoraConfigJson.Parse((JsonObject)JsonNode.Parse(json)!, "adapter_config.json"));
        Assert.StartsWith("adapter_config.json: " + key, e.Message, StringComparison.Ordinal);
    }
}
