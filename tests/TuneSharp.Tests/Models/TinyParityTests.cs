using TorchSharp;
using TuneSharp.Generation;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

/// <summary>
/// The tiny Hugging Face fixtures must compute what PyTorch computed (see shared/fixtures/README.md):
/// logits within 1e-4, loss, gradients (relative error ≤ 1e-3), three AdamW steps (≤ 1e-4), greedy tokens.
/// </summary>
public class TinyParityTests
{
    const double LogitTolerance = 1e-4;

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gpt2")]
    [InlineData("tiny-llama3-rope")]
    public void Causal_logits_match_pytorch(string fixture)
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(Fixtures.HfTiny(fixture));
        using var reference = new Reference(fixture);
        using var _ = no_grad();
        var logits = model.Forward(reference["input_ids"], reference["attention_mask"]);
        var expected = reference["logits"];
        Assert.Equal(expected.shape, logits.shape);
        // Compare only real tokens: padded positions are not defined by the task (HF still computes them).
        var mask = reference["attention_mask"].to_type(ScalarType.Bool).unsqueeze(-1).expand_as(expected);
        double diff = Reference.MaxAbsDiff(logits.masked_select(mask), expected.masked_select(mask));
        Assert.True(diff <= LogitTolerance, $"{fixture}: max |logits - pytorch| = {diff:E3}");
    }

    [Fact]
    public void Bert_classifier_logits_match_pytorch()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadBertClassifier(Fixtures.HfTiny("tiny-bert-cls"));
        using var reference = new Reference("tiny-bert-cls");
        using var _ = no_grad();
        var logits = model.Forward(reference["input_ids"], reference["attention_mask"]);
        Assert.Equal(new long[] { 2, 3 }, logits.shape);
        double diff = Reference.MaxAbsDiff(logits, reference["logits"]);
        Assert.True(diff <= LogitTolerance, $"max |logits - pytorch| = {diff:E3}");
    }

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gpt2")]
    public void Loss_on_reference_logits_equals_our_loss(string fixture)
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(Fixtures.HfTiny(fixture));
        using var reference = new Reference(fixture);
        using var _ = no_grad();
        var ids = reference["input_ids"];
        var mask = reference["attention_mask"];
        var labels = CausalLMLoss.LabelsFromInputs(ids, mask);
        var ours = CausalLMLoss.Compute(model.Forward(ids, mask), labels).item<float>();
        var fromPytorchLogits = CausalLMLoss.Compute(reference["logits"], labels).item<float>();
        Assert.True(Math.Abs(ours - fromPytorchLogits) <= 1e-5, $"loss {ours} vs {fromPytorchLogits}");
        Assert.InRange(ours, 5.0, 7.5); // near ln(512) = 6.24 for a random model
    }

    [Fact]
    public void Llama_loss_gradients_and_adamw_steps_match_pytorch()
    {
        // tiny-llama has no dropout, so train-mode PyTorch numbers are deterministic.
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(Fixtures.HfTiny("tiny-llama"));
        using var reference = new Reference("tiny-llama");
        model.Module.train();
        var ids = reference["input_ids"];
        var mask = reference["attention_mask"];
        var labels = CausalLMLoss.LabelsFromInputs(ids, mask);
        var expectedLosses = reference["adamw_losses"].data<float>().ToArray();

        var parameters = model.Module.named_parameters().ToList();
        using var optimizer = optim.AdamW(parameters.Select(p => p.parameter), lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01);
        var losses = new List<float>();
        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            var loss = CausalLMLoss.Compute(model.Forward(ids, mask), labels);
            loss.backward();
            losses.Add(loss.item<float>());
            if (step == 0)
            {
                Assert.Equal(reference.Names.Count(n => n.StartsWith("grad.", StringComparison.Ordinal)), parameters.Count);
                foreach (var (name, p) in parameters)
                {
                    double rel = Reference.RelativeError(p.grad!, reference["grad." + name]);
                    Assert.True(rel <= 1e-3, $"grad of {name}: relative error {rel:E3}");
                }
            }
            optimizer.step();
        }
        using (no_grad()) losses.Add(CausalLMLoss.Compute(model.Forward(ids, mask), labels).item<float>());
        for (int i = 0; i < 4; i++)
            Assert.True(Math.Abs(losses[i] - expectedLosses[i]) <= 1e-4, $"AdamW loss {i}: {losses[i]} vs {expectedLosses[i]}");
    }

    [Theory]
    [InlineData("tiny-llama", true)]
    [InlineData("tiny-llama", false)]
    [InlineData("tiny-gpt2", true)]
    [InlineData("tiny-gpt2", false)]
    public void Greedy_tokens_equal_pytorch(string fixture, bool useCache)
    {
        using var model = Pretrained.LoadCausalLM(Fixtures.HfTiny(fixture));
        using var reference = new Reference(fixture);
        var prompt = reference["greedy_prompt"].data<long>().Select(i => (int)i).ToList();
        var expected = reference["greedy_output"].data<long>().Select(i => (int)i).ToList();
        var result = TextGenerator.Generate(model, prompt,
            new GenerationOptions { MaxNewTokens = 12, IgnoreEos = true, UseCache = useCache });
        Assert.Equal(expected, result.PromptIds.Concat(result.NewIds).ToList());
    }
}
