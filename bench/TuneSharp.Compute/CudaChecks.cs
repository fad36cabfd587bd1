using TorchSharp;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Models.Common;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// The CUDA path checked against PyTorch and against the CPU path, for a GPU machine that has no .NET SDK (so
/// the xunit suite cannot run there): fixture logits against PyTorch's stored outputs, then the numerics of
/// each compute switch (chunked cross-entropy, activation checkpointing with dropout, flat AdamW, bf16
/// training) on CUDA. Prints PASS/FAIL lines; exit 1 when any check fails, 3 when CUDA is absent.
/// </summary>
internal static class CudaChecks
{
    static int failures;

    public static int Run(string[] args)
    {
        if (!cuda.is_available()) { Console.WriteLine("SKIP cuda-checks: CUDA is not available"); return 3; }
        string fixtures = Options.String(args, "--fixtures", Path.Combine("..", "shared", "fixtures", "hf-tiny"))!;
        foreach (var f in new[] { "tiny-gpt2", "tiny-llama" })
        {
            Check($"{f} logits on CUDA vs PyTorch", () => LogitsVsPyTorch(Path.Combine(fixtures, f)), 1e-4);
            Check($"{f} chunked CE vs plain on CUDA (loss and gradients, max relative diff)", () => ChunkedVsPlain(Path.Combine(fixtures, f)), 1e-3);
            Check($"{f} checkpointed blocks vs plain on CUDA (gradients, max relative diff)", () => CheckpointVsPlain(Path.Combine(fixtures, f)), 1e-4);
            Check($"{f} flat AdamW vs TorchSharp AdamW on CUDA (5 steps, max |Δw|)", () => FlatVsTorchAdamW(Path.Combine(fixtures, f)), 1e-6);
        }
        Check("random init on CUDA vs CPU, same seed (max |Δw|)", () => RandomInitMatchesCpu(Path.Combine(fixtures, "tiny-llama")), 0);
        Check("train-step on gpt2-124m, bf16 + flat AdamW + chunked CE + checkpointing, 2 steps (exit code)",
            () => TrainStepBenchmark.Run(["--model", "gpt2-124m", "--device", "cuda", "--batch", "2", "--seq", "128", "--steps", "1", "--warmup", "1",
                "--precision", "bf16", "--optimizer", "adamw_flat", "--chunked-ce", "--checkpointing"]), 0);
        Check("dropout mask replayed by the checkpoint recomputation on CUDA (max |grad - expected|)", DropoutReplay, 0);
        Check("bf16 + flat AdamW + chunked CE + checkpointing on CUDA: loss falls (last/first)", () => Bf16TrainingFalls(Path.Combine(fixtures, "tiny-llama")), 0.8);
        Console.WriteLine(failures == 0 ? "ALL PASS" : $"{failures} FAILED");
        return failures == 0 ? 0 : 1;
    }

    static void Check(string name, Func<double> measure, double limit)
    {
        try
        {
            double value = measure();
            bool ok = value <= limit;
            if (!ok) failures++;
            Console.WriteLine($"{(ok ? "PASS" : "FAIL")} {name}: {value:E3} (limit {limit:E1})");
        }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"FAIL {name}: {e.GetType().Name}: {e.Message}");
        }
    }

    static ICausalLM Load(string dir, bool noDropout = false)
    {
        if (!noDropout) return Pretrained.LoadCausalLM(dir, CUDA);
        var config = Pretrained.Config(dir);
        foreach (var key in new[] { "attn_pdrop", "embd_pdrop", "resid_pdrop", "attention_dropout" })
            if (config.Root.ContainsKey(key)) config.Root[key] = 0.0;
        return Pretrained.LoadCausalLM(dir, config, CUDA);
    }

    static double LogitsVsPyTorch(string dir)
    {
        using var scope = NewDisposeScope();
        using var lm = Load(dir);
        using var reference = SafetensorsFile.Open(Path.Combine(dir, "reference.safetensors"));
        using var _ = no_grad();
        var mask = reference.Read("attention_mask");
        var logits = lm.Forward(reference.Read("input_ids").cuda(), mask.cuda()).cpu();
        var expected = reference.Read("logits");
        var real = mask.to_type(ScalarType.Bool).unsqueeze(-1).expand_as(expected);
        return (logits.masked_select(real) - expected.masked_select(real)).abs().max().item<float>();
    }

    /// <summary>Max over the loss and every gradient of |a − b| / max|b|.</summary>
    static double MaxRelative((float Loss, Dictionary<string, Tensor> Grads) a, (float Loss, Dictionary<string, Tensor> Grads) b)
    {
        double worst = Math.Abs(a.Loss - b.Loss) / Math.Abs(b.Loss);
        foreach (var (name, g) in b.Grads)
            worst = Math.Max(worst, (a.Grads[name] - g).abs().max().item<float>() / Math.Max(1e-12, g.abs().max().item<float>()));
        return worst;
    }

    static (float Loss, Dictionary<string, Tensor> Grads) Backward(string dir, bool train, bool checkpointing, Func<ICausalLM, Tensor, Tensor> loss)
    {
        using var lm = Load(dir, noDropout: true);
        if (train) lm.Module.train(); else lm.Module.eval();
        lm.GradientCheckpointing = checkpointing;
        var ids = randint(4, lm.Info.VocabSize, [4, 32], generator: new Generator(11)).cuda();
        var value = loss(lm, ids);
        value.backward();
        return (value.item<float>(), lm.Module.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.cpu()));
    }

    static double ChunkedVsPlain(string dir) => MaxRelative(
        Backward(dir, false, false, (lm, ids) => ChunkedCrossEntropy.Compute(lm.HiddenStates(ids), lm.LmHeadWeight!, ids, chunkRows: 24)),
        Backward(dir, false, false, (lm, ids) => CausalLMLoss.Compute(lm.Forward(ids), ids)));

    static double CheckpointVsPlain(string dir) => MaxRelative(
        Backward(dir, true, true, (lm, ids) => CausalLMLoss.Compute(lm.Forward(ids), ids)),
        Backward(dir, true, false, (lm, ids) => CausalLMLoss.Compute(lm.Forward(ids), ids)));

    static double FlatVsTorchAdamW(string dir)
    {
        Dictionary<string, Tensor> Train(string optimizer)
        {
            using var lm = Load(dir, noDropout: true);
            lm.Module.train();
            var o = new TrainingOptions { LearningRate = 1e-3, WeightDecay = 0.1, Optimizer = optimizer };
            using var weights = new TrainableWeights(lm.Module, bf16: false, flat: optimizer == "adamw_flat");
            using var opt = weights.CreateOptimizer(o);
            var ids = randint(4, lm.Info.VocabSize, [4, 32], generator: new Generator(12)).cuda();
            for (int i = 0; i < 5; i++)
            {
                using var scope = NewDisposeScope();
                CausalLMLoss.Compute(lm.Forward(ids), ids).backward();
                weights.AfterBackward();
                opt.Step();
                weights.ZeroGrad();
                weights.SyncModel();
            }
            weights.Finish();
            return lm.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu());
        }
        var plain = Train("adamw");
        var flat = Train("adamw_flat");
        return plain.Max(kv => (kv.Value - flat[kv.Key]).abs().max().item<float>());
    }

    static double RandomInitMatchesCpu(string dir)
    {
        using var onCpu = Pretrained.LoadCausalLM(dir);
        using var onCuda = Load(dir);
        WeightInit.Apply(onCpu.Module, 0.02, 5);
        WeightInit.Apply(onCuda.Module, 0.02, 5);
        var cudaWeights = onCuda.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.cpu());
        return onCpu.Module.named_parameters().Max(p => (p.parameter - cudaWeights[p.name]).abs().max().item<float>());
    }

    static double DropoutReplay()
    {
        var x = rand(256, 128, generator: new Generator(1)).add_(0.1).cuda().requires_grad_(true);
        var y = ActivationCheckpoint.Run(x, null, null, (h, _, _) => nn.functional.dropout(h, 0.5, true) * 3);
        y.sum().backward();
        var expected = y.detach().ne(0).to_type(ScalarType.Float32) * 6.0;
        return (x.grad! - expected).abs().max().item<float>();
    }

    static double Bf16TrainingFalls(string dir)
    {
        using var lm = Load(dir);
        lm.Module.train();
        lm.GradientCheckpointing = true;
        var o = new TrainingOptions { LearningRate = 3e-3, Optimizer = "adamw_flat", Bf16 = true };
        using var weights = new TrainableWeights(lm.Module, bf16: true, flat: true);
        using var opt = weights.CreateOptimizer(o);
        var ids = (arange(64, dtype: ScalarType.Int64) % 7 + 4).reshape(2, 32).cuda(); // a repeating pattern
        var losses = new List<float>();
        for (int i = 0; i < 30; i++)
        {
            using var scope = NewDisposeScope();
            var loss = ChunkedCrossEntropy.Compute(lm.HiddenStates(ids), lm.LmHeadWeight!, ids);
            loss.backward();
            losses.Add(loss.item<float>());
            weights.AfterBackward();
            weights.ClipGradNorm(1.0);
            opt.Step();
            weights.ZeroGrad();
            weights.SyncModel();
        }
        weights.Finish();
        if (lm.Module.parameters().Any(p => p.dtype != ScalarType.Float32)) throw new InvalidOperationException("the model did not return to fp32");
        return losses[^1] / losses[0];
    }
}
