using TuneSharp.Adapters;
using TuneSharp.Models;
using TuneSharp.Tests.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Adapters;

/// <summary>Freezing, trainable-parameter reports, scaling and optimizer steps with LoRA.</summary>
public class LoraTrainingTests
{
    [Fact]
    public void Only_lora_weights_and_modules_to_save_require_grad_and_the_report_counts_them()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        long all = model.Module.parameters().Sum(p => p.numel());
        var lora = LoraModel.Apply(model.Module, new LoraConfig { r = 4, target_modules = ["q_proj", "v_proj"], modules_to_save = ["lm_head"] });

        var trainable = model.Module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(8 + 1, trainable.Count);
        Assert.All(trainable, n => Assert.True(n.Contains(".lora_", StringComparison.Ordinal) || n == "lm_head.weight", n));

        // q_proj: A (4, 64) + B (64, 4); v_proj: A (4, 64) + B (32, 4); 2 layers; lm_head (512, 64).
        long loraElements = 2 * (4 * 64 + 64 * 4 + 4 * 64 + 32 * 4);
        long expectedTrainable = loraElements + 512 * 64;
        var counts = lora.CountParameters();
        Assert.Equal(new ParameterCounts(expectedTrainable, all + loraElements), counts);
        Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"trainable params: {expectedTrainable:N0} || all params: {all + loraElements:N0} || trainable%: {100.0 * expectedTrainable / (all + loraElements):F4}"),
            counts.ToString());
        Assert.Matches(@"^trainable params: \d{1,3}(,\d{3})* \|\| all params: \d{1,3}(,\d{3})* \|\| trainable%: \d+\.\d{4}$", counts.ToString());

        lora.SetTrainable(false);
        Assert.Equal(0, lora.CountParameters().Trainable);
    }

    [Fact]
    public void AdamW_steps_change_only_lora_parameters()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var reference = new Reference("tiny-llama-lora");
        var baseState = model.Module.state_dict().ToDictionary(p => p.Key, p => p.Value.clone(), StringComparer.Ordinal);
        var lora = LoraModel.Apply(model.Module, new LoraConfig { r = 4, lora_alpha = 8, target_modules = ["q_proj", "v_proj"] });
        var loraBefore = lora.AdapterTensors().ToDictionary(p => p.Key, p => p.Value.clone(), StringComparer.Ordinal);
        model.Module.train();

        var ids = reference["input_ids"];
        var mask = reference["attention_mask"];
        var labels = CausalLMLoss.LabelsFromInputs(ids, mask);
        using var optimizer = optim.AdamW(lora.TrainableParameters(), lr: 1e-2, weight_decay: 0.01);
        var losses = new List<float>();
        for (int step = 0; step < 5; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = CausalLMLoss.Compute(model.Forward(ids, mask), labels);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.True(losses[^1] < losses[0], $"loss should fall: {string.Join(", ", losses)}");

        foreach (var (key, t) in lora.AdapterTensors())
            Assert.False(Reference.BitEqual(t, loraBefore[key]), $"{key} did not change");
        var state = model.Module.state_dict();
        foreach (var (key, before) in baseState)
        {
            // Wrapped layers keep their base weights under base_layer.
            string now = state.ContainsKey(key) ? key : key.Replace(".weight", ".base_layer.weight", StringComparison.Ordinal);
            Assert.True(Reference.BitEqual(state[now], before), $"base parameter {key} changed");
        }
    }

    [Theory]
    [InlineData(false, 16.0 / 4)]
    [InlineData(true, 16.0 / 2)]
    public void Scaling_is_alpha_over_r_or_over_sqrt_r_with_rslora(bool rslora, double expected)
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        var config = new LoraConfig { r = 4, lora_alpha = 16, use_rslora = rslora, target_modules = ["o_proj"], init_lora_weights = false };
        Assert.Equal(expected, config.Scaling);
        var lora = LoraModel.Apply(model.Module, config);
        var layer = lora.Layers[0].Layer;
        Assert.Equal(expected, layer.Scaling);

        // The layer really applies that scaling: y - base(x) = scaling · x Aᵀ Bᵀ.
        using var _ = no_grad();
        manual_seed(3);
        var x = randn(2, 5, 64);
        var delta = layer.forward(x) - layer.base_layer.forward(x);
        var manual = x.matmul(layer.lora_A.weight!.t()).matmul(layer.lora_B.weight!.t()) * expected;
        Assert.True(Reference.MaxAbsDiff(delta, manual) <= 1e-5);
    }

    [Fact]
    public void Lora_dropout_acts_in_training_only()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama); // eval mode: new layers follow it
        var lora = LoraModel.Apply(model.Module, new LoraConfig { r = 4, lora_dropout = 0.5, target_modules = ["o_proj"], init_lora_weights = false });
        var layer = lora.Layers[0].Layer;
        using var _ = no_grad();
        var x = ones(1, 3, 64);
        Assert.True(Reference.BitEqual(layer.forward(x), layer.forward(x)));
        model.Module.train();
        manual_seed(1);
        Assert.False(Reference.BitEqual(layer.forward(x), layer.forward(x)));
    }
}
