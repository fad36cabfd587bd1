using TorchSharp;
using TuneSharp.Adapters;
using TuneSharp.Models;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

[Collection(SequentialCollection.Name)]
public sealed class ActivationCheckpointTests
{
    /// <summary>The fixture with its dropout set to 0, so a training-mode forward is deterministic.</summary>
    static ICausalLM WithoutDropout(string fixture)
    {
        var dir = Fixtures.HfTiny(fixture);
        var config = Pretrained.Config(dir);
        foreach (var key in new[] { "attn_pdrop", "embd_pdrop", "resid_pdrop", "attention_dropout" })
            if (config.Root.ContainsKey(key)) config.Root[key] = 0.0;
        return Pretrained.LoadCausalLM(dir, config);
    }

    static (float Loss, Dictionary<string, Tensor> Grads) Run(string fixture, bool checkpointing, bool packed, bool lora = false)
    {
        using var lm = WithoutDropout(fixture);
        if (lora)
        {
            // B starts at zero (PEFT's default), which would leave A without gradient: nn.Linear's init instead,
            // from a fixed seed so that both runs hold the same adapters.
            random.manual_seed(7);
            LoraModel.Apply(lm.Module, new LoraConfig { r = 4, lora_alpha = 8, init_lora_weights = false,
                target_modules = TargetModules.FromNames(["q_proj", "v_proj"]) });
        }
        lm.Module.train(); // checkpointing acts in training only
        lm.GradientCheckpointing = checkpointing;
        var ids = randint(4, lm.Info.VocabSize, [2, 12], generator: new Generator(5));
        Tensor? mask = null, positions = null;
        if (packed)
        {
            // Two examples per row (lengths 5 and 7): block-diagonal causal mask, positions restarting: a 4D mask input too.
            var seg = cat([zeros(5, dtype: ScalarType.Int64), ones(7, dtype: ScalarType.Int64)]);
            mask = seg.unsqueeze(1).eq(seg.unsqueeze(0)).logical_and(ones(12, 12, dtype: ScalarType.Bool).tril()).expand(2, 1, 12, 12);
            positions = cat([arange(5, dtype: ScalarType.Int64), arange(7, dtype: ScalarType.Int64)]).unsqueeze(0).expand(2, -1);
        }
        var loss = CausalLMLoss.Compute(lm.Forward(ids, mask, positions), ids);
        loss.backward();
        return (loss.item<float>(), lm.Module.named_parameters().Where(p => p.parameter.requires_grad)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone()));
    }

    [Theory]
    [InlineData("tiny-gpt2", false)]
    [InlineData("tiny-llama", false)]
    [InlineData("tiny-llama", true)]
    public void Checkpointed_blocks_give_the_same_loss_and_gradients(string fixture, bool packed)
    {
        var plain = Run(fixture, checkpointing: false, packed);
        var checkpointed = Run(fixture, checkpointing: true, packed);
        Assert.Equal(plain.Loss, checkpointed.Loss, 6);
        foreach (var (name, g) in plain.Grads)
            Assert.True(g.allclose(checkpointed.Grads[name], rtol: 1e-5, atol: 1e-7),
                $"{name}: max difference {(g - checkpointed.Grads[name]).abs().max().item<float>()}");
    }

    [Fact]
    public void Checkpointing_under_LoRA_still_trains_the_adapters_of_every_block()
    {
        // The frozen embeddings hand the first block an input that needs no gradient (bug seen on the GPU run).
        var plain = Run("tiny-llama", checkpointing: false, packed: false, lora: true);
        var checkpointed = Run("tiny-llama", checkpointing: true, packed: false, lora: true);
        Assert.Contains(plain.Grads.Keys, k => k.Contains("lora_A"));
        Assert.Equal(plain.Grads.Keys.Order(), checkpointed.Grads.Keys.Order());
        foreach (var (name, g) in plain.Grads)
            Assert.True(g.allclose(checkpointed.Grads[name], rtol: 1e-5, atol: 1e-7),
                $"{name}: max difference {(g - checkpointed.Grads[name]).abs().max().item<float>()}");
    }

    [Fact]
    public void The_recomputation_draws_the_same_dropout_mask_as_the_forward()
    {
        // y = dropout(x)·3: the gradient is 3/(1−p) where the forward kept an element and 0 where it dropped one,
        // so a recomputation with another mask would show in the gradient.
        var x = rand(64, 32, generator: new Generator(1)).add_(0.1).requires_grad_(true);
        var y = ActivationCheckpoint.Run(x, null, null, (h, _, _) => nn.functional.dropout(h, 0.5, true) * 3);
        y.sum().backward();
        var expected = y.detach().ne(0).to_type(ScalarType.Float32) * 6.0;
        Assert.True(x.grad!.allclose(expected), "the backward used another dropout mask than the forward");
        var kept = y.detach().ne(0).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(kept, 0.4f, 0.6f); // dropout did act
    }
}
