using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Adapters;
using TuneSharp.Models;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// Training throughput of one configuration through the real <see cref="Trainer"/> (the same TrainableWeights,
/// optimizer, clipping and logging a recipe run uses), with the compute switches of issue 16: precision,
/// flat AdamW, chunked cross-entropy, activation checkpointing, packing. Rows are random tokens of a fixed
/// length, or of random lengths (--lengths A:B) to compare padding with packing on the same examples.
/// Prints one JSON line: tokens/s (real tokens only), ms per step, MFU against --peak-tflops, losses.
/// Steps after --warmup are timed; peak memory is measured outside (bench/gpu/run.sh polls nvidia-smi, CPU runs
/// report peak RSS).
/// </summary>
internal static class TrainStepBenchmark
{
    public static int Run(string[] args)
    {
        string model = Options.String(args, "--model", "llama-20m")!;
        string method = Options.String(args, "--method", "full")!;
        int batch = Options.Int(args, "--batch", 8), seq = Options.Int(args, "--seq", 256);
        int steps = Options.Int(args, "--steps", 10), warmup = Options.Int(args, "--warmup", 2);
        string precision = Options.String(args, "--precision", "fp32")!;
        string optimizer = Options.String(args, "--optimizer", "adamw")!;
        bool chunked = args.Contains("--chunked-ce"), checkpointing = args.Contains("--checkpointing"), packing = args.Contains("--packing");
        string? lengths = Options.String(args, "--lengths", null);
        double peakTflops = double.Parse(Options.String(args, "--peak-tflops", "0")!, CultureInfo.InvariantCulture);
        var device = torch.device(Options.String(args, "--device", "cpu")!);
        if (Options.String(args, "--threads", null) is { } threads) set_num_threads(int.Parse(threads, CultureInfo.InvariantCulture));

        var lm = BenchModels.Create(model, device);
        long all = lm.Module.parameters().Sum(p => p.numel());
        if (method == "lora")
        {
            string[] targets = lm.Info.ModelType == "gpt2" ? ["c_attn", "c_proj"] : ["q_proj", "k_proj", "v_proj", "o_proj"];
            LoraModel.Apply(lm.Module, new LoraConfig { r = 16, lora_alpha = 32, target_modules = TargetModules.FromNames(targets) });
        }
        else if (method != "full") { Console.Error.WriteLine("--method full|lora"); return 2; }
        lm.GradientCheckpointing = checkpointing;
        long trainable = lm.Module.parameters().Where(p => p.requires_grad).Sum(p => p.numel());

        var rows = Rows(lm.Info.VocabSize, (warmup + steps) * batch, seq, lengths, Options.String(args, "--tokens", null));
        using var task = new TokenRowsTask(lm, rows, packing, seq, chunked);
        var options = new TrainingOptions
        {
            Epochs = 1, MaxSteps = warmup + steps, BatchSize = batch, LearningRate = 1e-4, LrScheduler = "constant", MaxGradNorm = 1.0,
            Optimizer = optimizer, Bf16 = precision == "bf16", LoggingSteps = 1, EvalStrategy = "no", SaveStrategy = "no",
            LoadBestModelAtEnd = false, Seed = 0,
        };
        var runDir = Path.Combine(Path.GetTempPath(), "tunesharp-train-step-" + Guid.NewGuid().ToString("N"));
        var clock = new Stopwatch();
        var progress = new SyncProgress(p => { if (p.Message is null && p.Step == warmup) clock.Start(); });
        try
        {
            new Trainer(task, options, runDir, device).Train(progress: progress);
            if (device.type == DeviceType.CUDA) cuda.synchronize();
            double seconds = clock.Elapsed.TotalSeconds;
            var log = MetricsLog.Read(Path.Combine(runDir, "metrics.jsonl"), "train").Where(e => e["event"] is null).ToList();
            long tokens = (long)log[^1]["tokens"]! - (long)log[warmup - 1]["tokens"]!;
            double tps = tokens / seconds;
            double flops = BenchModels.FlopsPerToken(lm, seq, frozenBase: method == "lora");
            var result = new JsonObject
            {
                ["impl"] = "tunesharp", ["model"] = model, ["method"] = method, ["precision"] = precision, ["optimizer"] = optimizer,
                ["chunked_ce"] = chunked, ["checkpointing"] = checkpointing, ["packing"] = packing, ["lengths"] = lengths ?? $"{seq}",
                ["batch"] = batch, ["seq"] = seq, ["steps"] = steps, ["device"] = device.type.ToString().ToLowerInvariant(),
                ["threads"] = get_num_threads(), ["params"] = all, ["trainable"] = trainable,
                ["tokens_per_s"] = Math.Round(tps, 1), ["ms_per_step"] = Math.Round(seconds / steps * 1000, 1),
                ["mfu"] = peakTflops > 0 ? Math.Round(tps * flops / (peakTflops * 1e12), 4) : null,
                ["loss_first"] = (double)log[0]["loss"]!, ["loss_last"] = (double)log[^1]["loss"]!,
                ["peak_rss_mb"] = Math.Round(ProcStatus.PeakRss() / 1e6),
            };
            Console.WriteLine(result.ToJsonString());
            return 0;
        }
        finally { if (Directory.Exists(runDir)) Directory.Delete(runDir, true); }
    }

    /// <summary>
    /// Token rows: from a file of little-endian int32 tokens (the same file the Hugging Face script reads), or seeded
    /// random ids; fixed length <paramref name="seq"/>, or uniform random lengths in A:B.
    /// </summary>
    static List<int[]> Rows(int vocab, int count, int seq, string? lengths, string? tokenFile)
    {
        var rng = new Random(0);
        int[] pool = tokenFile is not null
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(File.ReadAllBytes(tokenFile)).ToArray()
            : [];
        long at = 0;
        int Next() => pool.Length > 0 ? pool[(int)(at++ % pool.Length)] % vocab : rng.Next(vocab);
        var rows = new List<int[]>(count);
        for (int i = 0; i < count; i++)
        {
            int n = seq;
            if (lengths is not null)
            {
                var parts = lengths.Split(':');
                n = rng.Next(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture) + 1);
            }
            rows.Add(Enumerable.Range(0, n).Select(_ => Next()).ToArray());
        }
        return rows;
    }

    sealed class SyncProgress(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }
}
