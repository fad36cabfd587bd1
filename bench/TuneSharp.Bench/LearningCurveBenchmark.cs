using System.Diagnostics;
using System.Globalization;
using System.Text;
using TuneSharp.Recipes;

namespace TuneSharp.Bench;

/// <summary>
/// Learning curve of the quickstart task (MiniLM on Brown genre passages): test accuracy and macro-F1 after training
/// on 50, 100, 300 and all 1,000 training passages, for the pretrained encoder fine-tuned in full, the same
/// architecture from random init, and frozen features + logistic regression, as mean ± std over 3 seeds (the seed
/// draws the data.limit subset, the initialisation and the data order). Each run is recipes/quickstart.yaml with
/// overrides; a small set gets more epochs so that every run takes at least the quickstart's 57 optimizer steps.
/// Usage: learning-curve [--sizes 50,100,300,0] [--seeds 1,2,3] [--methods pretrained,random,frozen-features]
/// </summary>
internal static class LearningCurveBenchmark
{
    const int TrainPassages = 1000;
    const int MinSteps = 57; // the quickstart's 300 examples × 3 epochs at batch 16

    public static int Run(string[] args)
    {
        var recipe = Quickstart.FindRecipe(Directory.GetCurrentDirectory());
        int[] sizes = Options.String(args, "--sizes", "50,100,300,0")!.Split(',').Select(int.Parse).ToArray(); // 0 = all
        long[] seeds = Options.String(args, "--seeds", "1,2,3")!.Split(',').Select(long.Parse).ToArray();
        string[] methods = Options.String(args, "--methods", "pretrained,random,frozen-features")!.Split(',');
        var root = Path.Combine(Path.GetTempPath(), "tunesharp-learning-curve");
        var table = new StringBuilder();
        table.AppendLine("| training passages | method | accuracy (mean ± std) | macro-F1 (mean ± std) | seconds per run |");
        table.AppendLine("|---:|---|---:|---:|---:|");
        foreach (int size in sizes)
            foreach (var method in methods)
            {
                var acc = new List<double>(); var f1 = new List<double>(); var seconds = new List<double>();
                foreach (var seed in seeds)
                {
                    var dir = Path.Combine(root, $"{size}-{method}-{seed}");
                    if (Directory.Exists(dir)) Directory.Delete(dir, true);
                    var overrides = new List<string> { $"seed={seed}", $"output_dir={dir}", $"data.limit={(size > 0 ? size : TrainPassages)}", $"training.epochs={Epochs(size)}" };
                    overrides.AddRange(method switch
                    {
                        "pretrained" => [],
                        "random" => ["method.init=random"],
                        "frozen-features" => ["method.type=frozen-features"],
                        _ => throw new ArgumentException($"unknown method {method}"),
                    });
                    var clock = Stopwatch.StartNew();
                    var outcome = RecipeRunner.Run(RecipeLoader.Load(recipe, overrides));
                    seconds.Add(clock.Elapsed.TotalSeconds);
                    acc.Add(outcome.Test!["accuracy"]); f1.Add(outcome.Test!["macro_f1"]);
                    Directory.Delete(dir, true); // 90 MB of weights and a 270 MB checkpoint per run
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"size {Label(size)} {method} seed {seed}: accuracy {acc[^1]:0.0000} macro-F1 {f1[^1]:0.0000} ({seconds[^1]:0} s)"));
                }
                table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Label(size)} | {method} | {Mean(acc):0.000} ± {Std(acc):0.000} | {Mean(f1):0.000} ± {Std(f1):0.000} | {Mean(seconds):0} |"));
                Console.WriteLine(table.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
            }
        Console.WriteLine();
        Console.Write(table);
        return 0;
    }

    /// <summary>3 epochs, or as many as it takes to reach <see cref="MinSteps"/> optimizer steps at batch 16.</summary>
    static int Epochs(int size)
    {
        int n = size > 0 ? size : TrainPassages;
        int stepsPerEpoch = (n + 15) / 16;
        return Math.Max(3, (MinSteps + stepsPerEpoch - 1) / stepsPerEpoch);
    }

    static string Label(int size) => size == 0 ? $"all ({TrainPassages})" : size.ToString(CultureInfo.InvariantCulture);

    static double Mean(List<double> x) => x.Average();

    /// <summary>Sample standard deviation (n − 1).</summary>
    static double Std(List<double> x) => x.Count < 2 ? 0 : Math.Sqrt(x.Sum(v => (v - Mean(x)) * (v - Mean(x))) / (x.Count - 1));
}
