using System.Text.Json.Nodes;
using TorchSharp.Modules;
using TuneSharp.Adapters;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Adapters;

/// <summary>DoRA: the layer against a hand computation, its initial no-op, PEFT's keys, the round trip and the merge.</summary>
[Collection(SequentialCollection.Name)]
public sealed class DoraTests
{
    [Fact]
    public void A_recipe_trains_a_dora_adapter_and_saves_the_merged_classifier()
    {
        var root = Directory.CreateTempSubdirectory("tunesharp-dora-").FullName;
        try
        {
            var path = TuneSharp.Tests.Training.FrozenFeaturesTests.WriteRecipe(root, TuneSharp.Tests.Tasks.TaskTestKit.Bert, "lora");
            var recipe = TuneSharp.Recipes.RecipeLoader.Load(path, ["method.lora.use_dora=true"]);
            var outcome = TuneSharp.Recipes.RecipeRunner.Run(recipe);
            Assert.True((bool)JsonNode.Parse(File.ReadAllText(Path.Combine(outcome.AdapterDir!, LoraConfigJson.FileName)))!["use_dora"]!);
            Assert.Contains(LoraKit.Shapes(Path.Combine(outcome.AdapterDir!, LoraModel.WeightsFileName)).Keys, k => k.EndsWith(".query.lora_magnitude_vector", StringComparison.Ordinal));
            // The merged folder scores as the adapter did.
            var eval = TuneSharp.Inference.ModelEvaluation.Run(recipe, outcome.ModelDir, "test");
            Assert.Equal(outcome.Test!["accuracy"], eval.Result["accuracy"], 6);
        }
        finally { Directory.Delete(root, true); }
    }

    static LoraLinear RandomDora(long seed, bool conv1d = false)
    {
        random.manual_seed(seed);
        nn.Module<Tensor, Tensor> inner = conv1d ? new TuneSharp.Models.Gpt2.Conv1D(6, 5, CPU, ScalarType.Float32) : nn.Linear(6, 5, hasBias: true);
        if (conv1d) using (no_grad()) ((TuneSharp.Models.Gpt2.Conv1D)inner).weight.normal_();
        var layer = new LoraLinear(inner, r: 2, scaling: 1.5, dropout: 0, initLoraWeights: false, useDora: true);
        using (no_grad()) layer.lora_magnitude_vector!.mul_(rand(5) + 0.5); // a trained-looking magnitude
        layer.eval();
        return layer;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_output_is_the_input_times_the_magnitude_scaled_direction_plus_the_bias(bool conv1d)
    {
        using var layer = RandomDora(1, conv1d);
        var x = randn(3, 6);
        // By hand: W' = m ⊙ V / ‖V‖ per output row, V = W + s·B·A in (out, in) layout.
        var w = conv1d ? layer.BaseWeight.t() : layer.BaseWeight;                               // (out, in)
        var v = w + 1.5 * layer.lora_B.weight!.matmul(layer.lora_A.weight!);                   // (out, in)
        var norms = v.pow(2).sum(1).sqrt();                                                     // (out,)
        var wPrime = layer.lora_magnitude_vector!.unsqueeze(1) * v / norms.unsqueeze(1);
        var bias = conv1d ? ((TuneSharp.Models.Gpt2.Conv1D)layer.base_layer).bias : ((Linear)layer.base_layer).bias!;
        var expected = x.matmul(wPrime.t()) + bias;
        using var _ = no_grad();
        Assert.True(layer.forward(x).allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void A_fresh_adapter_changes_nothing_and_its_magnitude_is_the_weight_norm()
    {
        random.manual_seed(2);
        var inner = nn.Linear(6, 5);
        var x = randn(4, 6);
        var before = inner.forward(x).detach().clone();
        using var layer = new LoraLinear(inner, r: 2, scaling: 2, dropout: 0, initLoraWeights: true, useDora: true);
        Assert.True(layer.lora_magnitude_vector!.allclose(inner.weight!.norm(1), rtol: 1e-6));
        using var _ = no_grad();
        Assert.True(layer.forward(x).allclose(before, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void The_norm_is_a_constant_in_backward_and_the_magnitude_trains()
    {
        using var layer = RandomDora(3);
        layer.train();
        var x = randn(4, 6);
        layer.forward(x).sum().backward();
        Assert.NotNull(layer.lora_magnitude_vector!.grad);
        Assert.NotNull(layer.lora_A.weight!.grad);
        // With ‖V‖ held constant, dL/dm = Σ over rows of (x·V̂ᵀ) where V̂ = V/‖V‖ (no term through the norm).
        using var _ = no_grad();
        var w = layer.BaseWeight;
        var v = w + 1.5 * layer.lora_B.weight!.matmul(layer.lora_A.weight!);
        var expected = x.matmul((v / v.pow(2).sum(1, keepdim: true).sqrt()).t()).sum(0, keepdim: false);
        Assert.True(layer.lora_magnitude_vector.grad!.allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Merging_gives_the_same_outputs_and_unmerging_restores_the_base_weight()
    {
        using var layer = RandomDora(4);
        var x = randn(3, 6);
        var original = layer.BaseWeight.detach().clone();
        using var _ = no_grad();
        var unmerged = layer.forward(x).clone();
        layer.Merge();
        Assert.True(layer.forward(x).allclose(unmerged, rtol: 1e-5, atol: 1e-5));
        Assert.True(nn.functional.linear(x, layer.BaseWeight, ((Linear)layer.base_layer).bias).allclose(unmerged, rtol: 1e-5, atol: 1e-5));
        layer.Unmerge();
        Assert.True(layer.BaseWeight.allclose(original, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void A_saved_adapter_has_peft_keys_and_reloads_to_identical_logits_and_merges_for_export()
    {
        using var scope = NewDisposeScope();
        using var tmp = new TempFolder();
        var ids = tensor(new long[] { 5, 17, 42, 9, 100, 3 }).unsqueeze(0);
        Tensor trained;
        using (var model = Pretrained.LoadCausalLM(LoraKit.Llama))
        {
            var lora = LoraModel.Apply(model.Module, new LoraConfig { r = 4, lora_alpha = 8, target_modules = ["q_proj", "v_proj"], use_dora = true, init_lora_weights = false });
            using (no_grad()) foreach (var l in model.Module.modules().OfType<LoraLinear>()) l.lora_magnitude_vector!.mul_(1.1);
            model.Module.eval();
            using (no_grad()) trained = model.Forward(ids).detach().clone();
            lora.Save(tmp.Path);
            var merged = lora.MergeAndUnload();
            using (no_grad()) Assert.True(model.Forward(ids).allclose(trained, rtol: 1e-4, atol: 1e-5)); // the export's weights
        }
        var config = JsonNode.Parse(File.ReadAllText(tmp[LoraConfigJson.FileName]))!;
        Assert.True((bool)config["use_dora"]!);
        var shapes = LoraKit.Shapes(tmp[LoraModel.WeightsFileName]);
        Assert.Equal([64], shapes["base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector"]);
        Assert.Equal(2 * 2 * 3, shapes.Count); // 2 layers × (q, v) × (A, B, magnitude)

        using var reloaded = Pretrained.LoadCausalLM(LoraKit.Llama);
        LoraModel.Load(reloaded.Module, tmp.Path);
        reloaded.Module.eval();
        using var _ = no_grad();
        Assert.True(reloaded.Forward(ids).eq(trained).all().item<bool>());
    }
}
