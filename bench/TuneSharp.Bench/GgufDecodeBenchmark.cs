using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LLama;
using LLama.Common;
using LLama.Native;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Models.Export;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// Decode tokens/s of TuneSharp (TorchSharp, KV cache) against llama.cpp (LLamaSharp 0.30.0 CPU backend) on the same
/// weights, exported with <see cref="GgufExport"/>, and the same number of threads; batch 1, greedy, no EOS stop.
/// Decode = (new − 1) tokens / (generation time − the prompt's forward), as in decode-throughput.
/// </summary>
internal static class GgufDecodeBenchmark
{
    public static int Run(string[] args)
    {
        string model = Arg(args, "--model", Path.Combine("models", "tunesharp-base"));
        int threads = int.Parse(Arg(args, "--threads", "1"), CultureInfo.InvariantCulture);
        int prompt = int.Parse(Arg(args, "--prompt", "64"), CultureInfo.InvariantCulture);
        int newTokens = int.Parse(Arg(args, "--new", "64"), CultureInfo.InvariantCulture);
        int runs = int.Parse(Arg(args, "--runs", "3"), CultureInfo.InvariantCulture);
        var outType = GgufOutTypes.Parse(Arg(args, "--outtype", "f32"));
        set_num_threads(threads);

        var tmp = Directory.CreateTempSubdirectory("tunesharp-gguf-bench-").FullName;
        try
        {
            if (model == "llama-100m") model = SaveLlama100M(Path.Combine(tmp, "llama-100m"));
            var gguf = Path.Combine(tmp, "model.gguf");
            GgufExport.Export(model, null, gguf, outType);
            using var lm = Pretrained.LoadCausalLM(model);
            var rng = new Random(0);
            var ids = Enumerable.Range(0, prompt).Select(_ => rng.Next(4, lm.Info.VocabSize)).ToList();

            // TuneSharp: the prompt forward alone, then the whole generation.
            double prefill = Median(runs, () => Time(() =>
            {
                using var noGrad = no_grad();
                using var scope = NewDisposeScope();
                lm.Forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0)).Dispose();
            }));
            var options = new GenerationOptions { MaxNewTokens = newTokens, IgnoreEos = true, UseCache = true };
            BatchGenerator.Generate(lm, [ids], options with { MaxNewTokens = 2 }); // warm-up
            double total = Median(runs, () => Time(() => BatchGenerator.Generate(lm, [ids], options)));
            double ours = (newTokens - 1) / Math.Max(total - prefill, 1e-9);

            // llama.cpp: prompt in one batch, then one token per llama_decode, timed after the prompt.
            NativeLibraryConfig.All.WithLogCallback((_, _) => { });
            var p = new ModelParams(gguf)
            {
                ContextSize = (uint)(prompt + newTokens), GpuLayerCount = 0, Threads = threads, BatchThreads = threads,
                BatchSize = (uint)prompt, UBatchSize = (uint)prompt,
            };
            using var weights = LLamaWeights.LoadFromFile(p);
            Decode(weights, p, ids, 2); // warm-up
            double theirs = (newTokens - 1) / Median(runs, () => Decode(weights, p, ids, newTokens));

            Console.WriteLine($"model {Path.GetFileName(model)}, gguf {outType.ToString().ToLowerInvariant()}, prompt {prompt}, new {newTokens}, threads {threads}, median of {runs}");
            Console.WriteLine($"  TuneSharp decode, KV cache: {ours:0.0} tokens/s");
            Console.WriteLine($"  llama.cpp decode:           {theirs:0.0} tokens/s ({theirs / ours:0.00}x)");
            return 0;
        }
        finally
        {
            Directory.Delete(tmp, recursive: true);
        }
    }

    /// <summary>Seconds for the count − 1 single-token decode steps after the prompt (greedy).</summary>
    static double Decode(LLamaWeights weights, ModelParams p, List<int> ids, int count)
    {
        using var context = weights.CreateContext(p);
        var batch = new LLamaBatch();
        for (int i = 0; i < ids.Count; i++) batch.Add(ids[i], i, LLamaSeqId.Zero, i == ids.Count - 1);
        context.Decode(batch);
        int next = ArgMax(context.NativeHandle.GetLogitsIth(batch.TokenCount - 1));
        var clock = Stopwatch.StartNew();
        for (int pos = ids.Count; pos < ids.Count + count - 1; pos++)
        {
            batch.Clear();
            batch.Add(next, pos, LLamaSeqId.Zero, true);
            if (context.Decode(batch) != DecodeResult.Ok) throw new InvalidOperationException("llama_decode failed");
            next = ArgMax(context.NativeHandle.GetLogitsIth(0));
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The decode-throughput benchmark's ~100M Llama (random weights), saved with the tiny fixture's tokenizer (padded vocabulary).</summary>
    static string SaveLlama100M(string dir)
    {
        var config = new JsonObject
        {
            ["model_type"] = "llama", ["vocab_size"] = 32000, ["hidden_size"] = 768, ["intermediate_size"] = 2048,
            ["num_hidden_layers"] = 12, ["num_attention_heads"] = 12, ["num_key_value_heads"] = 12,
            ["max_position_embeddings"] = 2048, ["rms_norm_eps"] = 1e-5, ["rope_theta"] = 10000.0, ["tie_word_embeddings"] = true,
            ["eos_token_id"] = 0,
        };
        var configJson = new ConfigJson(config, "llama-100m");
        using var lm = ModelFactory.CreateCausalLM(configJson);
        WeightInit.Apply(lm.Module, 0.02, 0);
        Pretrained.Save(dir, lm.Module, configJson, sideFilesFrom: Path.Combine("..", "shared", "fixtures", "hf-tiny", "tiny-llama"));
        return dir;
    }

    static int ArgMax(Span<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    static double Time(Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        return clock.Elapsed.TotalSeconds;
    }

    static double Median(int runs, Func<double> measure) => Enumerable.Range(0, runs).Select(_ => measure()).Order().ElementAt(runs / 2);

    static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
