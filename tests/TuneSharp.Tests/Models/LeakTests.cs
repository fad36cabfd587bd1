using TorchSharp;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

public class LeakTests
{
    [Fact]
    public void Two_hundred_training_steps_keep_live_tensors_flat()
    {
        using var model = Pretrained.LoadCausalLM(Fixtures.HfTiny("tiny-llama"));
        using var reference = new Reference("tiny-llama");
        using var ids = reference["input_ids"];
        using var mask = reference["attention_mask"];
        using var labels = CausalLMLoss.LabelsFromInputs(ids, mask);
        model.Module.train();
        using var optimizer = optim.AdamW(model.Module.parameters(), lr: 1e-4);

        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = CausalLMLoss.Compute(model.Forward(ids, mask), labels);
            loss.backward();
            optimizer.step();
        }

        // Warm-up creates the grads and AdamW state once; after that nothing may accumulate.
        for (int i = 0; i < 5; i++) Step();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 200; i++) Step();
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.True(after - before <= 0, $"live tensors grew from {before} to {after} over 200 steps");
    }
}
