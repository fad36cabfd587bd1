using TuneSharp.Adapters;
using TuneSharp.Models;

namespace TuneSharp.Tests.Adapters;

/// <summary>Which modules a LoraConfig selects, by PEFT's rules (check_target_module_exists).</summary>
public class TargetingTests
{
    static IReadOnlyList<string> Selected(LoraConfig config)
    {
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        return LoraModel.Apply(model.Module, config).Layers.Select(l => l.Path).ToList();
    }

    [Fact]
    public void Names_match_the_last_components_and_layers_to_transform_filters_them()
    {
        Assert.Equal(["model.layers.0.self_attn.q_proj", "model.layers.1.self_attn.q_proj"], Selected(new LoraConfig { target_modules = ["q_proj"] }));
        Assert.Equal(["model.layers.1.self_attn.q_proj", "model.layers.1.mlp.up_proj"],
            Selected(new LoraConfig { target_modules = ["q_proj", "mlp.up_proj"], layers_to_transform = [1], layers_pattern = ["layers"] }));
        // A name equal to a whole path skips the layer filter, as in PEFT.
        Assert.Equal(["model.layers.0.self_attn.k_proj", "model.layers.1.self_attn.q_proj"],
            Selected(new LoraConfig { target_modules = ["q_proj", "model.layers.0.self_attn.k_proj"], layers_to_transform = [1] }));
        Assert.Equal(["model.layers.1.self_attn.q_proj"],
            Selected(new LoraConfig { target_modules = ["q_proj"], exclude_modules = ["model.layers.0.self_attn.q_proj"] }));
    }

    [Fact]
    public void A_regex_must_match_the_whole_path_and_ignores_layers_to_transform()
    {
        Assert.Equal(["model.layers.0.mlp.down_proj", "model.layers.1.mlp.down_proj"],
            Selected(new LoraConfig { target_modules = @".*\.down_proj", layers_to_transform = [1] }));
        Assert.Equal(["model.layers.1.self_attn.v_proj"], Selected(new LoraConfig { target_modules = @"model\.layers\.1\.self_attn\.v_proj" }));
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        var e = Assert.Throws<UserError>(() => LoraModel.Apply(model.Module, new LoraConfig { target_modules = "down_proj" }));
        Assert.Equal("LoraConfig: key 'target_modules': 'down_proj' selected no module (after layers_to_transform, exclude_modules and modules_to_save)", e.Message);
    }

    [Fact]
    public void Modules_to_save_are_never_adapted_and_a_second_apply_is_refused()
    {
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        var lora = LoraModel.Apply(model.Module, new LoraConfig { target_modules = TargetModules.AllLinear, modules_to_save = ["mlp"] });
        Assert.Equal(8, lora.Layers.Count); // the 4 attention projections of 2 layers
        Assert.Equal(["model.layers.0.mlp", "model.layers.1.mlp"], lora.ModulesToSave);
        Assert.Throws<InvalidOperationException>(() => LoraModel.Apply(model.Module, new LoraConfig { target_modules = ["q_proj"] }));
    }
}
