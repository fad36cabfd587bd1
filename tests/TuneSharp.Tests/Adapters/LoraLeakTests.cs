using TorchSharp;
using TuneSharp.Adapters;
using TuneSharp.Models;
using TuneSharp.Tests.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Adapters;

public class LoraLeakTests
{
    [Fact]
    public void Lora_training_steps_and_merge_cycles_keep_live_tensors_flat()
    {
        using var model = Pretrained.LoadCausalLM(LoraKit.Llama);
        using var reference = new Reference("tiny-llama-lora");
        using var ids = reference["input_ids"];
        using var mask = reference["attention_mask"];
        using var labels = CausalLMLoss.LabelsFromInputs(ids, mask);
        var lora = LoraModel.Apply(model.Module, new LoraConfig { r = 4, lora_dropout = 0.1, target_modules = TargetModules.AllLinear });
        model.Module.train();
        using var optimizer = optim.AdamW(lora.TrainableParameters(), lr: 1e-3);

        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            CausalLMLoss.Compute(model.Forward(ids, mask), labels).backward();
            optimizer.step();
            lora.Merge();
            lora.Unmerge();
        }

        // Warm-up creates the grads and AdamW state once; after that nothing may accumulate.
        for (int i = 0; i < 3; i++) Step();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 30; i++) Step();
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(after - before <= 0, $"live tensors grew from {before} to {after} over 30 steps");
    }
}
