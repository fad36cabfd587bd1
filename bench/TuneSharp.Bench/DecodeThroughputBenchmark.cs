using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using TuneSharp.Generation;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// Generation speed on this CPU: prompt processing (one forward over B×P tokens) and decoding (new tokens per
/// second after the prompt), with the KV cache and without it (every step re-reads the whole sequence).
/// Models: a model folder, or llama-100m (a ~100M-parameter Llama config built in memory, random weights).
/// </summary>
internal static class DecodeThroughputBenchmark
{
    public static int Run(string[] args)
    {
        string model = Arg(args, "--model", Path.Combine("..", "shared", "fixtures", "hf-tiny", "tiny-llama"));
        int batch = int.Parse(Arg(args, "--batch", "1"), CultureInfo.InvariantCulture);
        int runs = int.Parse(Arg(args, "--runs", "3"), CultureInfo.InvariantCulture);
        if (Array.IndexOf(args, "--threads") is int t and >= 0) set_num_threads(int.Parse(args[t + 1], CultureInfo.InvariantCulture));
        using var lm = model == "llama-100m" ? Llama100M() : Pretrained.LoadCausalLM(model);
        // Defaults that fit small contexts too (tiny-llama has 128 positions).
        int context = lm.Info.MaxPositionEmbeddings;
        int prompt = int.Parse(Arg(args, "--prompt", Math.Min(128, context / 2).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        int newTokens = int.Parse(Arg(args, "--new", Math.Min(64, context / 4).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        if (prompt + newTokens > lm.Info.MaxPositionEmbeddings)
        {
            Console.Error.WriteLine($"--prompt + --new must fit the context ({lm.Info.MaxPositionEmbeddings})");
            return 2;
        }
        long parameters = lm.Module.parameters().Sum(p => p.numel());
        var rng = new Random(0);
        var prompts = Enumerable.Range(0, batch)
            .Select(_ => (IReadOnlyList<int>)Enumerable.Range(0, prompt).Select(_ => rng.Next(4, lm.Info.VocabSize)).ToList()).ToList();

        double prefill = Median(runs, () => Time(() =>
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var ids = tensor(prompts.SelectMany(p => p.Select(i => (long)i)).ToArray()).reshape(batch, prompt); // (B, P)
            lm.Forward(ids).Dispose();
        }));
        Console.WriteLine($"model {Path.GetFileName(model)} ({parameters / 1e6:0.0}M params), batch {batch}, prompt {prompt}, new {newTokens}, threads {get_num_threads()}");
        Console.WriteLine($"  prompt processing: {batch * prompt / prefill:0} tokens/s ({prefill * 1000:0} ms)");
        foreach (bool cache in new[] { true, false })
        {
            var options = new GenerationOptions { MaxNewTokens = newTokens, IgnoreEos = true, UseCache = cache };
            BatchGenerator.Generate(lm, prompts, options with { MaxNewTokens = 2 }); // warm-up
            double total = Median(runs, () => Time(() => BatchGenerator.Generate(lm, prompts, options)));
            // The first new token comes with the prompt's forward; the rest are decode steps.
            double decode = Math.Max(total - prefill, 1e-9);
            Console.WriteLine($"  decode, {(cache ? "KV cache   " : "no KV cache")}: {batch * (newTokens - 1) / decode:0.0} tokens/s "
                + $"({decode / (newTokens - 1) * 1000:0.0} ms/step, {total:0.00} s total)");
        }
        return 0;
    }

    /// <summary>The ~100M Llama config of this benchmark; also saved as a folder by gguf-decode.</summary>
    internal static ConfigJson Llama100MConfig() => new(new JsonObject
    {
        ["model_type"] = "llama", ["vocab_size"] = 32000, ["hidden_size"] = 768, ["intermediate_size"] = 2048,
        ["num_hidden_layers"] = 12, ["num_attention_heads"] = 12, ["num_key_value_heads"] = 12,
        ["max_position_embeddings"] = 2048, ["rms_norm_eps"] = 1e-5, ["rope_theta"] = 10000.0, ["tie_word_embeddings"] = true,
        ["eos_token_id"] = 2,
    }, "llama-100m");

    /// <summary><see cref="Llama100MConfig"/> with random weights (seed 0), in eval mode.</summary>
    internal static ICausalLM Llama100M()
    {
        var lm = ModelFactory.CreateCausalLM(Llama100MConfig());
        WeightInit.Apply(lm.Module, 0.02, 0);
        lm.Module.eval();
        return lm;
    }

    internal static double Time(Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }

    internal static double Median(int runs, Func<double> measure)
    {
        var times = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToList();
        return times[runs / 2];
    }

    static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
