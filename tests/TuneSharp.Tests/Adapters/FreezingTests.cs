using TuneSharp.Adapters;
using TuneSharp.Models;

namespace TuneSharp.Tests.Adapters;

/// <summary>Freezing and unfreezing parameters by glob or regex name patterns.</summary>
public class FreezingTests
{
    [Fact]
    public void Glob_and_regex_patterns_freeze_and_unfreeze_by_name()
    {
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        var m = model.Module;
        var all = m.named_parameters().ToList();

        var counts = Freezing.Apply(m, ["model.embed_tokens.*", "re:model\\.layers\\.[0]\\..*"]);
        var frozen = all.Where(p => !p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(frozen.Count, counts.Tensors);
        Assert.Equal(all.Where(p => !p.parameter.requires_grad).Sum(p => p.parameter.numel()), counts.Elements);
        Assert.Contains("model.embed_tokens.weight", frozen);
        Assert.All(frozen, n => Assert.True(n.StartsWith("model.embed_tokens.", StringComparison.Ordinal) || n.StartsWith("model.layers.0.", StringComparison.Ordinal), n));
        Assert.Contains(all, p => p.name.StartsWith("model.layers.1.", StringComparison.Ordinal) && p.parameter.requires_grad);

        // '*' crosses dots; everything else is literal ('.' is not "any character").
        var norms = Freezing.Unfreeze(m, ["*layernorm.weight"]);
        Assert.Equal(4, norms.Tensors); // input_layernorm and post_attention_layernorm of both layers
        Assert.True(m.named_parameters().First(p => p.name == "model.layers.0.input_layernorm.weight").parameter.requires_grad);
        Assert.Throws<UserError>(() => Freezing.Apply(m, ["model?layers.0.mlp.up_proj.weight"]));

        Freezing.Unfreeze(m, ["*"]);
        Assert.All(m.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Patterns_that_match_nothing_are_listed()
    {
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        var e = Assert.Throws<UserError>(() => Freezing.Apply(model.Module, ["model.embed_tokens.*", "model.embed.*", "re:layers\\..*"]));
        Assert.StartsWith("freeze patterns: 'model.embed.*', 're:layers\\..*' matched no parameter", e.Message, StringComparison.Ordinal);
        Assert.All(model.Module.parameters(), p => Assert.True(p.requires_grad)); // nothing changed
        Assert.Throws<UserError>(() => Freezing.Apply(model.Module, ["re:model.(["]));
        Assert.Throws<UserError>(() => Freezing.Apply(model.Module, []));
    }
}
