using TuneSharp.Adapters;
using TuneSharp.Models;
using TuneSharp.Models.Gpt2;
using TuneSharp.Tests.Models;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Adapters;

/// <summary>LoRA on GPT-2's Conv1D layers, whose weights are (in, out): PEFT's fan_in_fan_out.</summary>
public class LoraGpt2Tests(ITestOutputHelper output)
{
    [Fact]
    public void Conv1D_targets_merge_to_the_same_output_and_save_peft_shapes()
    {
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(Fixtures.HfTiny("tiny-gpt2"));
        using var reference = new Reference("tiny-gpt2");
        using var tmp = new TempFolder();
        var gpt2 = (Gpt2LMHeadModel)model;
        long embd = gpt2.Config.n_embd, inner = gpt2.Config.n_inner;
        var lora = LoraModel.Apply(model.Module, new LoraConfig { r = 4, lora_alpha = 8, target_modules = ["c_attn", "c_proj", "c_fc"], init_lora_weights = false });
        Assert.True(lora.Config.fan_in_fan_out, "PEFT sets fan_in_fan_out for Conv1D targets");
        Assert.Equal(4 * gpt2.Config.n_layer, lora.Layers.Count);
        Assert.All(lora.Layers, l => Assert.True(l.Layer.FanInFanOut));

        using var _ = no_grad();
        var ids = reference["input_ids"];
        var mask = reference["attention_mask"];
        var unmerged = model.Forward(ids, mask);
        lora.Merge();
        var merged = model.Forward(ids, mask);
        double diff = Reference.MaxAbsDiff(merged, unmerged);
        output.WriteLine($"gpt2 Conv1D: max |merged - unmerged| = {diff:E3}");
        Assert.True(diff <= 1e-5, $"max |merged - unmerged| = {diff:E3}");

        lora.Save(tmp.Path);
        var shapes = LoraKit.Shapes(Path.Combine(tmp.Path, LoraModel.WeightsFileName));
        const string h0 = "base_model.model.transformer.h.0.";
        Assert.Equal(new[] { 4L, embd }, shapes[h0 + "attn.c_attn.lora_A.weight"]);
        Assert.Equal(new[] { 3 * embd, 4L }, shapes[h0 + "attn.c_attn.lora_B.weight"]);
        Assert.Equal(new[] { 4L, inner }, shapes[h0 + "mlp.c_proj.lora_A.weight"]);
        Assert.Equal(new[] { embd, 4L }, shapes[h0 + "mlp.c_proj.lora_B.weight"]);
        Assert.Contains("\"fan_in_fan_out\": true", File.ReadAllText(Path.Combine(tmp.Path, LoraConfigJson.FileName)), StringComparison.Ordinal);

        var plain = lora.MergeAndUnload();
        Assert.Contains(plain.modules(), m => m is Conv1D);
        Assert.True(Reference.MaxAbsDiff(model.Forward(ids, mask), unmerged) <= 1e-5);
    }
}
