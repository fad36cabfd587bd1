using System.Globalization;
using System.Text;
using TuneSharp.Recipes;

namespace TuneSharp.Bench;

/// <summary>
/// Learning curve of the quickstart task: test accuracy and macro-F1 after fine-tuning on the first
/// 50, 100, 200 and all training examples, from the pretrained base vs the same architecture from random
/// init, as mean ± std over seeds. Each run is recipes/quickstart.yaml with overrides.
/// </summary>
internal static class LearningCurveBenchmark
{
    public static int Run(string[] args)
    {
        var recipe = Quickstart.FindRecipe(Directory.GetCurrentDirectory());
        int[] sizes = [50, 100, 200, 0]; // 0 = all
        long[] seeds = [1, 2, 3];
        var root = Path.Combine(Path.GetTempPath(), "tunesharp-learning-curve");
        var table = new StringBuilder();
        table.AppendLine("| training examples | init | accuracy (mean ± std) | macro-F1 (mean ± std) |");
        table.AppendLine("|---:|---|---:|---:|");
        foreach (int size in sizes)
            foreach (var init in new[] { "pretrained", "random" })
            {
                var acc = new List<double>(); var f1 = new List<double>();
                foreach (var seed in seeds)
                {
                    var overrides = new List<string> { $"seed={seed}", $"method.init={init}", $"output_dir={Path.Combine(root, $"{size}-{init}-{seed}")}" };
                    if (size > 0) overrides.Add($"data.limit={size}");
                    var dir = Path.Combine(root, $"{size}-{init}-{seed}");
                    if (Directory.Exists(dir)) Directory.Delete(dir, true);
                    var outcome = RecipeRunner.Run(RecipeLoader.Load(recipe, overrides));
                    acc.Add(outcome.Test!["accuracy"]); f1.Add(outcome.Test!["macro_f1"]);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"size {(size == 0 ? "all" : size)} init {init} seed {seed}: accuracy {acc[^1]:0.0000} macro-F1 {f1[^1]:0.0000}"));
                }
                table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {(size == 0 ? "all (288)" : size.ToString(CultureInfo.InvariantCulture))} | {init} | {Mean(acc):0.000} ± {Std(acc):0.000} | {Mean(f1):0.000} ± {Std(f1):0.000} |"));
            }
        Console.WriteLine();
        Console.Write(table);
        return 0;
    }

    static double Mean(List<double> x) => x.Average();

    /// <summary>Sample standard deviation (n − 1).</summary>
    static double Std(List<double> x) => x.Count < 2 ? 0 : Math.Sqrt(x.Sum(v => (v - Mean(x)) * (v - Mean(x))) / (x.Count - 1));
}
