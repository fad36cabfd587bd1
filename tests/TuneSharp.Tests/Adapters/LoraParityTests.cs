using TuneSharp.Adapters;
using TuneSharp.Models;
using TuneSharp.Tests.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Adapters;

/// <summary>
/// tiny-llama + tiny-llama-lora (made by PEFT, see shared/fixtures/make_fixtures.py) must compute what PEFT computed:
/// adapter logits and merge_and_unload logits within 1e-4; unmerge and disable must give back the exact states.
/// </summary>
public class LoraParityTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    [Fact]
    public void Loaded_adapter_logits_match_peft()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var reference = new Reference("tiny-llama-lora");
        var lora = LoraModel.Load(model.Module, LoraKit.Adapter);
        Assert.Equal(4, lora.Layers.Count); // q_proj and v_proj in 2 layers
        double diff = LoraKit.MaskedMaxDiff(LoraKit.Logits(model, reference), reference["logits"], reference["attention_mask"]);
        output.WriteLine($"adapter logits: max |ours - peft| = {diff:E3}");
        Assert.True(diff <= Tolerance, $"max |logits - peft| = {diff:E3}");
    }

    [Fact]
    public void Merge_matches_peft_merged_logits_and_unmerge_restores_adapter_logits()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var reference = new Reference("tiny-llama-lora");
        var lora = LoraModel.Load(model.Module, LoraKit.Adapter);
        var mask = reference["attention_mask"];
        var adapterLogits = LoraKit.Logits(model, reference);

        lora.Merge();
        lora.Merge(); // a second merge is a no-op
        Assert.True(lora.Merged);
        double merged = LoraKit.MaskedMaxDiff(LoraKit.Logits(model, reference), reference["merged_logits"], mask);
        output.WriteLine($"merged logits: max |ours - peft| = {merged:E3}");
        Assert.True(merged <= Tolerance, $"merged: max |logits - peft| = {merged:E3}");

        lora.Unmerge();
        lora.Unmerge(); // a second unmerge is a no-op
        Assert.False(lora.Merged);
        double back = Reference.MaxAbsDiff(LoraKit.Logits(model, reference), adapterLogits);
        output.WriteLine($"unmerged logits: max |unmerged - adapter| = {back:E3}");
        Assert.True(back <= 1e-5, $"unmerge: max |logits - adapter logits| = {back:E3}");
    }

    [Fact]
    public void Disabled_adapter_gives_base_logits_even_after_merge()
    {
        using var scope = NewDisposeScope();
        using var baseModel = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var reference = new Reference("tiny-llama-lora");
        var baseLogits = LoraKit.Logits(baseModel, reference);
        var lora = LoraModel.Load(model.Module, LoraKit.Adapter);
        Assert.True(Reference.MaxAbsDiff(LoraKit.Logits(model, reference), baseLogits) > 1e-3, "the fixture adapter must change the logits");

        lora.Disabled = true;
        Assert.True(Reference.BitEqual(LoraKit.Logits(model, reference), baseLogits), "disabled adapter must give the base logits exactly");

        lora.Disabled = false;
        lora.Merge();
        lora.Disabled = true; // disabling a merged adapter unmerges it first
        Assert.False(lora.Merged);
        double diff = Reference.MaxAbsDiff(LoraKit.Logits(model, reference), baseLogits);
        output.WriteLine($"disabled after merge: max |ours - base| = {diff:E3}");
        Assert.True(diff <= 1e-5, $"disabled after merge: max |logits - base| = {diff:E3}");
    }

    [Fact]
    public void Merge_and_unload_gives_a_plain_model_that_saves_and_reloads()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var reference = new Reference("tiny-llama-lora");
        using var tmp = new TempFolder();
        var baseKeys = model.Module.state_dict().Keys.Order(StringComparer.Ordinal).ToList();
        var lora = LoraModel.Load(model.Module, LoraKit.Adapter);
        Assert.Contains("model.layers.0.self_attn.q_proj.base_layer.weight", model.Module.state_dict().Keys);

        var plain = lora.MergeAndUnload();
        Assert.Same(model.Module, plain);
        Assert.Equal(baseKeys, plain.state_dict().Keys.Order(StringComparer.Ordinal).ToList());
        Assert.DoesNotContain(plain.modules(), m => m is LoraLinear);
        Assert.Throws<InvalidOperationException>(() => lora.Merge());
        Assert.All(plain.parameters(), p => Assert.True(p.requires_grad)); // as before Load froze them
        var mask = reference["attention_mask"];
        double diff = LoraKit.MaskedMaxDiff(LoraKit.Logits(model, reference), reference["merged_logits"], mask);
        Assert.True(diff <= Tolerance, $"merge_and_unload: max |logits - peft| = {diff:E3}");

        string saved = tmp["merged"];
        Pretrained.Save(saved, plain, Pretrained.Config(LoraKit.Llama));
        using var reloaded = Pretrained.LoadCausalLM(saved);
        double reloadedDiff = LoraKit.MaskedMaxDiff(LoraKit.Logits(reloaded, reference), reference["merged_logits"], mask);
        output.WriteLine($"merge_and_unload, saved and reloaded: max |ours - peft merged| = {reloadedDiff:E3}");
        Assert.True(reloadedDiff <= Tolerance, $"reloaded merged model: max |logits - peft| = {reloadedDiff:E3}");
    }

    [Fact]
    public void Default_init_has_zero_B_so_outputs_equal_the_base_model()
    {
        using var scope = NewDisposeScope();
        using var baseModel = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var reference = new Reference("tiny-llama-lora");
        var lora = LoraModel.Apply(model.Module, new LoraConfig { r = 8, lora_alpha = 16, target_modules = ["q_proj", "k_proj", "v_proj", "o_proj"] });
        Assert.Equal(8, lora.Layers.Count);
        foreach (var (_, layer) in lora.Layers)
        {
            Assert.Equal(0.0, layer.lora_B.weight!.abs().max().item<float>());
            // kaiming_uniform(a = sqrt 5) on (r, in): |A| < 1 / sqrt(in), and not all zero
            double amax = layer.lora_A.weight!.abs().max().item<float>();
            Assert.InRange(amax, 1e-3, 1.0 / Math.Sqrt(layer.InFeatures));
        }
        Assert.True(Reference.BitEqual(LoraKit.Logits(model, reference), LoraKit.Logits(baseModel, reference)));
    }

    [Fact]
    public void Random_init_changes_the_output_and_merge_matches_unmerged_on_llama()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var reference = new Reference("tiny-llama-lora");
        var lora = LoraModel.Apply(model.Module, new LoraConfig { r = 4, target_modules = TargetModules.AllLinear, init_lora_weights = false });
        // all-linear: 7 projections per layer, never lm_head
        Assert.Equal(14, lora.Layers.Count);
        Assert.DoesNotContain(lora.Layers, l => l.Path.Contains("lm_head", StringComparison.Ordinal));
        var unmerged = LoraKit.Logits(model, reference);
        lora.Merge();
        double diff = Reference.MaxAbsDiff(LoraKit.Logits(model, reference), unmerged);
        output.WriteLine($"llama all-linear: max |merged - unmerged| = {diff:E3}");
        Assert.True(diff <= 1e-4, $"max |merged - unmerged| = {diff:E3}");
    }
}
