using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using TuneSharp.Data.Validation;
using TuneSharp.Data.Writing;

namespace TuneSharp.Bench;

/// <summary>
/// data-validate: generates N examples per shape as JSONL in a temp folder, then times
/// <see cref="DataValidator.Validate"/> over each file (one warm-up pass, then the best of three).
/// </summary>
public static class DataValidateBenchmark
{
    public static int Run(string[] args)
    {
        int n = 100_000;
        for (int i = 0; i < args.Length; i++)
            if (args[i] == "--count" && i + 1 < args.Length) n = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else { Console.Error.WriteLine($"data-validate: unknown option {args[i]}"); return 2; }

        var dir = Path.Combine(Path.GetTempPath(), "tunesharp-databench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var files = Generate(dir, n);
            Console.WriteLine($"{Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}, {n:N0} examples per file");
            Console.WriteLine($"{"shape",-16} {"MB",8} {"seconds",8} {"examples/s",12} {"MB/s",8}");
            foreach (var (name, path, options) in files)
            {
                double mb = new FileInfo(path).Length / 1e6;
                DataValidator.Validate([path], options); // warm-up: JIT, page cache
                double best = double.MaxValue;
                ValidationReport? report = null;
                for (int run = 0; run < 3; run++)
                {
                    var sw = Stopwatch.StartNew();
                    report = DataValidator.Validate([path], options);
                    best = Math.Min(best, sw.Elapsed.TotalSeconds);
                }
                if (report!.Files[0].Records != n) throw new InvalidOperationException($"{name}: read {report.Files[0].Records} of {n}");
                Console.WriteLine($"{name,-16} {mb,8:F1} {best,8:F2} {n / best,12:N0} {mb / best,8:F1}");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    static List<(string Name, string Path, ValidationOptions Options)> Generate(string dir, int n)
    {
        var words = "the model learns from data and every example counts so we check them all before training starts".Split(' ');
        var random = new Random(13);
        string Sentence(int min, int max) => string.Join(' ', Enumerable.Range(0, random.Next(min, max)).Select(_ => words[random.Next(words.Length)]));

        var classification = Path.Combine(dir, "classification.jsonl");
        AtomicJsonlWriter.WriteAll(classification, Enumerable.Range(0, n).Select(i => new JsonObject
        {
            ["text"] = $"{i} " + Sentence(10, 120),
            ["label"] = i % 3 == 0 ? "neg" : "pos",
        }));
        var chat = Path.Combine(dir, "chat.jsonl");
        AtomicJsonlWriter.WriteAll(chat, Enumerable.Range(0, n).Select(i => new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "You are helpful." },
                new JsonObject { ["role"] = "user", ["content"] = $"{i} " + Sentence(5, 40) },
                new JsonObject { ["role"] = "assistant", ["content"] = Sentence(10, 80) }),
        }));
        return
        [
            ("classification", classification, new ValidationOptions { Labels = ["neg", "pos"], MaxLength = 256 }),
            ("chat", chat, new ValidationOptions { MaxLength = 256 }),
        ];
    }
}
