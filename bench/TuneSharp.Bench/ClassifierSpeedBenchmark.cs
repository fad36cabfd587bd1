using System.Diagnostics;
using System.Globalization;
using TuneSharp.Data.Readers;
using TuneSharp.Inference;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// Classification throughput of several sequence-classifier folders on the same texts, in one process, rounds
/// interleaved (model A, B, C, A, B, C, ...) so that load from other jobs on the machine falls on all of them alike:
/// examples/s of tokenize + forward + softmax over the whole file, the median of the rounds, and each model's
/// parameter count and depth. For the distillation table (a student's speed next to its teacher's).
/// </summary>
internal static class ClassifierSpeedBenchmark
{
    public static int Run(string[] args)
    {
        var models = (Options.String(args, "--models", null) ?? throw new ArgumentException("--models DIR,DIR,... is required")).Split(',');
        var data = Options.String(args, "--data", "data/brown-genre-passages/test.jsonl")!;
        int maxLength = Options.Int(args, "--max-length", 64), batch = Options.Int(args, "--batch", 64), rounds = Options.Int(args, "--rounds", 3);
        if (Array.IndexOf(args, "--threads") is int t and >= 0) set_num_threads(int.Parse(args[t + 1], CultureInfo.InvariantCulture));
        var texts = DataSources.Open(data, null).Select(r => r.Fields["text"]!.GetValue<string>()).ToList();
        Console.WriteLine($"{texts.Count} texts from {data}, max_length {maxLength}, batch {batch}, {rounds} rounds, threads {get_num_threads()}");

        var loaded = models.Select(m => ClassifierLoader.Load(m, maxLength: maxLength)).ToList();
        try
        {
            var rates = loaded.Select(_ => new List<double>()).ToList();
            foreach (var c in loaded) c.ClassifyTexts(texts.Take(batch).ToList(), batch); // warm-up
            for (int r = 0; r < rounds; r++)
                for (int i = 0; i < loaded.Count; i++)
                {
                    var clock = Stopwatch.StartNew();
                    loaded[i].ClassifyTexts(texts, batch);
                    rates[i].Add(texts.Count / clock.Elapsed.TotalSeconds);
                }
            Console.WriteLine("| model | layers | parameters | examples/s (median of rounds) | rounds |");
            Console.WriteLine("|---|---|---|---|---|");
            for (int i = 0; i < loaded.Count; i++)
            {
                long parameters = loaded[i].Model.Module.parameters().Sum(p => p.numel());
                int layers = Models.Pretrained.Config(models[i]).Int("num_hidden_layers", 0);
                var sorted = rates[i].OrderBy(x => x).ToList();
                Console.WriteLine(FormattableString.Invariant(
                    $"| {models[i]} | {layers} | {parameters} | {sorted[sorted.Count / 2]:F1} | {string.Join(" ", rates[i].Select(x => x.ToString("F1", CultureInfo.InvariantCulture)))} |"));
            }
        }
        finally { foreach (var c in loaded) c.Dispose(); }
        return 0;
    }
}
