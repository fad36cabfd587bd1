using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Adapters;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// Training throughput (tokens/s) and peak RSS of full fine-tuning vs LoRA on a causal LM:
/// AdamW steps on random token batches, timed after warm-up steps.
/// Models: tiny-llama (the fixture), llama-5m and llama-20m (Llama configs built in memory).
/// </summary>
internal static class TrainThroughputBenchmark
{
    public static int Run(string[] args)
    {
        string model = Arg(args, "--model", "llama-20m");
        string method = Arg(args, "--method", "full");
        int steps = int.Parse(Arg(args, "--steps", "10"), CultureInfo.InvariantCulture);
        int batch = int.Parse(Arg(args, "--batch", "8"), CultureInfo.InvariantCulture);
        int seq = int.Parse(Arg(args, "--seq", "256"), CultureInfo.InvariantCulture);

        using var lm = Build(model);
        long all = lm.Module.parameters().Sum(p => p.numel());
        if (method == "lora")
            LoraModel.Apply(lm.Module, new LoraConfig { r = 8, lora_alpha = 16, target_modules = TargetModules.FromNames(["q_proj", "k_proj", "v_proj", "o_proj"]) });
        else if (method != "full") { Console.Error.WriteLine("--method full|lora"); return 2; }
        var trainable = lm.Module.parameters().Where(p => p.requires_grad).ToList();
        using var optimizer = optim.AdamW(trainable, 1e-4);
        lm.Module.train();
        var rng = new Generator(0);
        double Step()
        {
            using var scope = NewDisposeScope();
            var ids = randint(4, lm.Info.VocabSize, [batch, seq], generator: rng);
            optimizer.zero_grad();
            var loss = CausalLMLoss.Compute(lm.Forward(ids), ids);
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }
        for (int i = 0; i < 2; i++) Step(); // warm-up: allocator, AdamW state
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Step();
        double seconds = clock.Elapsed.TotalSeconds;
        double tps = steps * batch * seq / seconds;
        Console.WriteLine($"model {model} ({all / 1e6:0.00}M params), method {method} ({trainable.Sum(p => p.numel()) / 1e6:0.000}M trainable), "
            + $"batch {batch}x{seq}, threads {get_num_threads()}: {tps:0} tokens/s, {seconds / steps * 1000:0} ms/step, peak RSS {ProcStatus.PeakRss() / 1e6:0} MB");
        return 0;
    }

    static ICausalLM Build(string name)
    {
        if (name == "tiny-llama")
            return Pretrained.LoadCausalLM(Path.Combine("..", "shared", "fixtures", "hf-tiny", "tiny-llama"));
        var (hidden, layers, heads, inter, vocab) = name switch
        {
            "llama-5m" => (256, 4, 4, 688, 8192),
            "llama-20m" => (512, 6, 8, 1376, 8192),
            "llama-100m" => (768, 12, 12, 2048, 32000),
            _ => throw new ArgumentException($"--model {name}: tiny-llama, llama-5m, llama-20m or llama-100m"),
        };
        var config = new JsonObject
        {
            ["model_type"] = "llama", ["vocab_size"] = vocab, ["hidden_size"] = hidden, ["intermediate_size"] = inter,
            ["num_hidden_layers"] = layers, ["num_attention_heads"] = heads, ["num_key_value_heads"] = heads,
            ["max_position_embeddings"] = 2048, ["rms_norm_eps"] = 1e-5, ["rope_theta"] = 10000.0, ["tie_word_embeddings"] = true,
        };
        var lm = ModelFactory.CreateCausalLM(new ConfigJson(config, name));
        WeightInit.Apply(lm.Module, 0.02, 0);
        return lm;
    }

    static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
