using System.Diagnostics;
using System.Globalization;
using TuneSharp.Data.Readers;
using TuneSharp.Evaluation;
using TuneSharp.FewShot;
using TuneSharp.Inference;
using TuneSharp.Models;
using TuneSharp.Models.Import;
using TuneSharp.Templates;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Bench;

/// <summary>
/// Prompting as the baseline fine-tuning must beat, on the quickstart's task and test set (Brown genre, 15 classes,
/// data/brown-genre-passages): zero-shot and k-shot prompting of the generative default with its chat template
/// (each genre scored by the mean log-probability of its name as the assistant's answer: rank classification, so a
/// model that cannot follow instructions still gets its best guess), and zero-shot similarity between MiniLM
/// embeddings of the passage and of a description of each genre. Fine-tuning rows come from the quickstart and
/// bench/layerwise/compare.sh on the same test set. Prints a markdown table: accuracy, macro-F1, tokens, seconds.
/// </summary>
internal static class PromptingBaselineBenchmark
{
    // The quickstart's label set, in its order, with the words a prompt or a description uses for each.
    static readonly (string Label, string Name, string Description)[] Genres =
    [
        ("adventure", "adventure", "an adventure or western story"),
        ("belles_lettres", "belles lettres", "belles-lettres: an essay, a biography or memoirs"),
        ("editorial", "editorial", "a newspaper editorial or letter to the editor"),
        ("fiction", "fiction", "general fiction, a novel or short story"),
        ("government", "government", "a government document or official report"),
        ("hobbies", "hobbies", "an article about hobbies, skills or trades"),
        ("humor", "humor", "a humorous piece of writing"),
        ("learned", "learned", "a learned, scientific or academic text"),
        ("lore", "lore", "popular lore, a magazine article"),
        ("mystery", "mystery", "a mystery or detective story"),
        ("news", "news", "a news report from a newspaper"),
        ("religion", "religion", "a religious text"),
        ("reviews", "reviews", "a review of books, music, theatre or films"),
        ("romance", "romance", "a romance or love story"),
        ("science_fiction", "science fiction", "a science fiction story"),
    ];

    public static int Run(string[] args)
    {
        string root = Options.RepoRoot();
        string data = Options.String(args, "--data", Path.Combine(root, "data", "brown-genre-passages"))!;
        string lmDir = Options.String(args, "--lm", Path.Combine(root, "models", "tunesharp-base"))!;
        string encoderDir = Options.String(args, "--encoder", null) ?? ModelReference.Resolve("minilm", root);
        int shots = Options.Int(args, "--shots", 8), shotWords = Options.Int(args, "--shot-words", 16), limit = Options.Int(args, "--test", 0);
        var test = Read(Path.Combine(data, "test.jsonl"), limit);
        var train = Read(Path.Combine(data, "train.jsonl"), 0);
        var truth = test.Select(t => t.Label).ToList();
        Console.WriteLine($"Brown genre, {test.Count} test passages, 15 classes; {get_num_threads()} torch threads\n");
        Console.WriteLine("| method | accuracy | macro-F1 | tokens per passage | seconds |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");

        using (var lm = Pretrained.LoadCausalLM(lmDir))
        {
            lm.Module.eval();
            var tokenizer = HfTokenizer.Load(lmDir);
            var template = ChatTemplate.FromFile(Path.Combine(lmDir, "chat_template.jinja"));
            Row("zero-shot prompting, tunesharp-base (chat template)", truth, () => Prompted(lm, tokenizer, template, test, []));
            var rng = new Random(1);
            var examples = train.OrderBy(_ => rng.Next()).Take(shots).Select(t => (KShotPrompting.Words(t.Text, shotWords), Genres.First(g => g.Label == t.Label).Name)).ToList();
            Row($"{shots}-shot prompting, tunesharp-base (chat template)", truth, () => Prompted(lm, tokenizer, template, test, examples));
        }
        Row("zero-shot embedding similarity, MiniLM", truth, () => Similarity(encoderDir, test));
        // Fine-tuned classifiers (e.g. the quickstart's, one per seed) on the same passages: mean ± std over the folders.
        if (Options.String(args, "--finetuned", null) is { } folders)
        {
            var scores = new List<(double Accuracy, double Macro, double Seconds, double Tokens)>();
            foreach (var dir in folders.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var clock = Stopwatch.StartNew();
                using var classifier = ClassifierLoader.Load(dir, maxLength: 64);
                var names = classifier.Labels.Names;
                var predicted = classifier.ClassifyTexts(test.Select(t => t.Text).ToList(), 32).Select(p => names[Array.IndexOf(p, p.Max())]).ToList();
                var tokenizer = HfTokenizer.Load(dir);
                double tokens = test.Average(t => Math.Min(64, tokenizer.Encode(t.Text).Count));
                scores.Add((ClassificationMetrics.Accuracy(truth, predicted),
                    ClassificationMetrics.Average(truth, predicted, Averaging.Macro, Genres.Select(g => g.Label).ToList()).F1, clock.Elapsed.TotalSeconds, tokens));
            }
            static string Pm(IEnumerable<double> xs)
            {
                var v = xs.ToList(); double m = v.Average(), sd = Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / Math.Max(1, v.Count - 1));
                return string.Create(CultureInfo.InvariantCulture, $"{m:0.000} ± {sd:0.000}");
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| fine-tuned MiniLM, {scores.Count} seeds (inference only) | {Pm(scores.Select(s => s.Accuracy))} | {Pm(scores.Select(s => s.Macro))} | {scores.Average(s => s.Tokens):N0} | {scores.Average(s => s.Seconds):0} |"));
        }
        return 0;
    }

    static void Row(string method, List<string> truth, Func<(List<string> Predicted, long Tokens)> run)
    {
        var clock = Stopwatch.StartNew();
        var (predicted, tokens) = run();
        double accuracy = ClassificationMetrics.Accuracy(truth, predicted);
        double macro = ClassificationMetrics.Average(truth, predicted, Averaging.Macro, Genres.Select(g => g.Label).ToList()).F1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {method} | {accuracy:0.000} | {macro:0.000} | {tokens / (double)truth.Count:N0} | {clock.Elapsed.TotalSeconds:0} |"));
    }

    static readonly string System = KShotPrompting.SystemPrompt("genre", " of the Brown Corpus", Genres.Select(g => g.Name).ToList());

    static (List<string>, long) Prompted(ICausalLM lm, HfTokenizer tokenizer, ChatTemplate template, List<(string Text, string Label)> test,
        List<(string Passage, string Genre)> shots)
    {
        var names = Genres.Select(g => g.Name).ToList();
        var result = new KShotPrompting(lm, tokenizer, template, names, System)
            .Classify(test.Select(t => t.Text).ToList(), shots.Select(s => (s.Passage, names.IndexOf(s.Genre))).ToList());
        return (result.Predicted.Select(i => Genres[i].Label).ToList(), (long)Math.Round(result.TokensPerText * test.Count));
    }

    /// <summary>Cosine similarity of mean-pooled MiniLM embeddings: passage against "This passage is {description}.".</summary>
    static (List<string>, long) Similarity(string encoderDir, List<(string Text, string Label)> test)
    {
        using var encoder = SentenceEncoder.Load(encoderDir);
        var predicted = ZeroShotSimilarity.Predict(encoder, Genres.Select(g => g.Description).ToList(), encoder.Embed(test.Select(t => t.Text).ToList()));
        return (predicted.Select(i => Genres[i].Label).ToList(), 0);
    }

    static List<(string Text, string Label)> Read(string path, int limit)
    {
        var rows = DataSources.Open(path).Select(r => (r.Fields["text"]!.ToString(), r.Fields["label"]!.ToString())).ToList();
        // A seeded random subset: the file is grouped by genre, so its first rows would be a few genres only.
        return limit > 0 ? Subset(rows, limit).ToList() : rows;
    }

    static IEnumerable<(string Text, string Label)> Subset(List<(string Text, string Label)> rows, int n)
    {
        var rng = new Random(7);
        return rows.Select(r => (Key: rng.Next(), Row: r)).OrderBy(x => x.Key).Take(n).Select(x => x.Row);
    }
}
