using System.Diagnostics;
using System.Text.Json.Nodes;
using TuneSharp.Data.Readers;
using TuneSharp.Evaluation;
using TuneSharp.Inference;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Recipes;
using TuneSharp.Templates;
using TuneSharp.Tokenization;

namespace TuneSharp.FewShot;

/// <summary>One measurement: a method at k examples per class (k = 0 for zero-shot) with one seed.</summary>
public sealed record FewShotRun(string Method, int K, long Seed, int TrainExamples, double Accuracy, double MacroF1, double Seconds, string? Note);

/// <summary>
/// The few-shot learning curve of a sequence-classification recipe: for each k and seed a stratified k-shot set is
/// drawn from the recipe's training split (<see cref="KShotSampler"/>) and each method trained on it and scored on
/// the same test texts:
///   finetune   the recipe itself (its method, optimizer, schedule) on the k-shot file, with enough epochs for
///              FinetuneMinSteps optimizer steps (tiny sets otherwise get one or two steps);
///   frozen     the pretrained encoder's sentence vectors + logistic regression (C = 1);
///   setfit     contrastive fine-tuning of the encoder on generated pairs, then the same head on its vectors;
///   zero-shot  similarity to the label descriptions (no example; one row, k = 0);
///   prompting  k-shot in-context rank classification with a causal LM and its chat template.
/// </summary>
public static class FewShotCurve
{
    public static IReadOnlyList<FewShotRun> Run(Recipe recipe, FewShotOptions options, string outDir, Action<string>? log = null)
    {
        log ??= _ => { };
        foreach (var m in options.Methods)
            if (!FewShotOptions.AllMethods.Contains(m)) throw new UserError($"--methods: unknown method '{m}' (known: {string.Join(", ", FewShotOptions.AllMethods)})");
        if (options.Ks.Count == 0 || options.Ks.Any(k => k <= 0)) throw new UserError("--k: give positive examples-per-class counts, e.g. 1,2,4,8");
        if (options.Seeds.Count == 0) throw new UserError("--seeds: give at least one seed");
        if (recipe.Task != "sequence-classification") throw new UserError($"{recipe.File}: key 'task': fewshot needs sequence-classification, not '{recipe.Task}'");
        var split = FewShotData.Load(recipe, options.TestLimit);
        var labels = split.Labels;
        Directory.CreateDirectory(outDir);
        var runs = new List<FewShotRun>();
        var shortfalls = split.Shortfalls(options.Ks, options.Seeds[0]);
        // The report is rewritten after every run, so a long curve that is stopped still leaves its table and plot.
        void Add(FewShotRun r)
        {
            runs.Add(r);
            FewShotReport.Write(outDir, recipe, options, split, runs, shortfalls);
            log($"{r.Method} k={r.K} seed={r.Seed}: accuracy {r.Accuracy:0.000}, macro-F1 {r.MacroF1:0.000} ({r.Seconds:0} s){(r.Note is null ? "" : ", " + r.Note)}");
        }
        FewShotRun Score(string method, int k, long seed, int n, IReadOnlyList<int> predicted, Stopwatch clock, string? note = null)
        {
            var truth = split.TestLabels.Select(i => labels[i]).ToList();
            var guess = predicted.Select(i => labels[i]).ToList();
            return new FewShotRun(method, k, seed, n, ClassificationMetrics.Accuracy(truth, guess),
                ClassificationMetrics.Average(truth, guess, Averaging.Macro, labels).F1, clock.Elapsed.TotalSeconds, note);
        }

        float[][]? baseTest = null;
        bool needsBase = options.Methods.Contains("frozen") || options.Methods.Contains("zero-shot");
        using (var encoder = needsBase ? SentenceEncoder.Load(recipe.Model) : null)
        {
            if (encoder is not null)
            {
                var clock = Stopwatch.StartNew();
                baseTest = encoder.Embed(split.TestTexts, 64);
                if (options.Methods.Contains("zero-shot"))
                {
                    var descriptions = labels.Select(l => options.LabelDescriptions?.GetValueOrDefault(l) ?? l.Replace('_', ' ')).ToList();
                    Add(Score("zero-shot", 0, 0, 0, ZeroShotSimilarity.Predict(encoder, descriptions, baseTest), clock,
                        options.LabelDescriptions is null ? "label names as descriptions" : null));
                }
                if (options.Methods.Contains("frozen"))
                    foreach (var k in options.Ks)
                        foreach (var seed in options.Seeds)
                        {
                            clock.Restart();
                            var (texts, ys, _) = split.Shots(k, seed);
                            var head = EmbeddingClassifier.Fit(encoder.Embed(texts, 64), ys, labels.Count);
                            Add(Score("frozen", k, seed, texts.Count, head.Predict(EmbeddingClassifier.Matrix(baseTest)), clock));
                        }
            }
        }
        if (options.Methods.Contains("setfit"))
            foreach (var k in options.Ks)
                foreach (var seed in options.Seeds)
                {
                    var clock = Stopwatch.StartNew();
                    var (texts, ys, _) = split.Shots(k, seed);
                    using var encoder = SentenceEncoder.Load(recipe.Model);
                    var losses = SetFitTrainer.Train(encoder, texts, ys, options.SetFit ?? new SetFitOptions(), seed);
                    var head = EmbeddingClassifier.Fit(encoder.Embed(texts, 64), ys, labels.Count);
                    Add(Score("setfit", k, seed, texts.Count, EmbeddingClassifier.Predict(encoder, head, split.TestTexts), clock,
                        $"{losses.Count} steps, contrastive loss {Head(losses):0.000} → {Tail(losses):0.000}"));
                }
        if (options.Methods.Contains("prompting"))
        {
            var lmDir = options.PromptingModel ?? throw new UserError("--methods prompting: give --prompting-model (a causal LM folder with chat_template.jinja)");
            using var lm = Pretrained.LoadCausalLM(lmDir);
            var tokenizer = HfTokenizer.Load(lmDir);
            var templateFile = Path.Combine(lmDir, "chat_template.jinja");
            if (!File.Exists(templateFile)) throw new UserError($"{templateFile}: not found (prompting needs the model's chat template)");
            var names = labels.Select(l => l.Replace('_', ' ')).ToList();
            var prompting = new KShotPrompting(lm, tokenizer, ChatTemplate.FromFile(templateFile), names, KShotPrompting.SystemPrompt(options.PromptNoun, "", names));
            var zero = Stopwatch.StartNew();
            var none = prompting.Classify(split.TestTexts, []);
            Add(Score("prompting", 0, 0, 0, none.Predicted, zero, $"{none.TokensPerText:0} tokens per prompt"));
            foreach (var k in options.Ks)
                foreach (var seed in options.Seeds)
                {
                    var clock = Stopwatch.StartNew();
                    var (texts, ys, _) = split.Shots(k, seed);
                    // Interleave the classes (one shot of each, then the next round) so dropping the oldest shots keeps every class.
                    var shots = Enumerable.Range(0, texts.Count).GroupBy(i => ys[i]).SelectMany(g => g.Select((i, round) => (i, round)))
                        .OrderBy(x => x.round).ThenBy(x => x.i).Select(x => (KShotPrompting.Words(texts[x.i], options.ShotWords), ys[x.i])).ToList();
                    var result = prompting.Classify(split.TestTexts, shots);
                    Add(Score("prompting", k, seed, texts.Count, result.Predicted, clock,
                        $"{result.ShotsKept:0.0} of {shots.Count} shots fit the {lm.Info.MaxPositionEmbeddings}-token context, {result.TokensPerText:0} tokens per prompt"));
                }
        }
        if (options.Methods.Contains("finetune"))
            foreach (var k in options.Ks)
                foreach (var seed in options.Seeds)
                {
                    var clock = Stopwatch.StartNew();
                    var (texts, ys, _) = split.Shots(k, seed);
                    var dir = Path.Combine(outDir, "finetune", $"k{k}-seed{seed}");
                    var trainFile = Path.Combine(dir, "train.jsonl");
                    var testFile = Path.Combine(dir, "test.jsonl");
                    Directory.CreateDirectory(dir);
                    FewShotData.WriteJsonl(trainFile, split.TextField, split.LabelField, texts, ys.Select(i => labels[i]).ToList());
                    FewShotData.WriteJsonl(testFile, split.TextField, split.LabelField, split.TestTexts, split.TestLabels.Select(i => labels[i]).ToList());
                    int batch = recipe.Training().BatchSize, stepsPerEpoch = (texts.Count + batch - 1) / batch;
                    int epochs = Math.Max(recipe.Training().Epochs, (options.FinetuneMinSteps + stepsPerEpoch - 1) / stepsPerEpoch);
                    var run = RecipeLoader.Load(recipe.File, [$"seed={seed}", $"output_dir={Path.Combine(dir, "run")}", $"data.train={trainFile}",
                        $"data.test={testFile}", $"data.limit={texts.Count}", $"training.epochs={epochs}", "evaluation.eval_strategy=no"]);
                    var outcome = RecipeRunner.Run(run);
                    var test = outcome.Test ?? throw new InvalidOperationException("the fine-tuning run returned no test metrics");
                    Directory.Delete(Path.Combine(dir, "run"), recursive: true); // a curve keeps scores, not 90 MB models
                    Add(new FewShotRun("finetune", k, seed, texts.Count, test["accuracy"], test["macro_f1"], clock.Elapsed.TotalSeconds,
                        $"{epochs} epochs, {epochs * stepsPerEpoch} steps"));
                }
        FewShotReport.Write(outDir, recipe, options, split, runs, shortfalls);
        return runs;
    }

    static double Head(IReadOnlyList<double> xs) => xs.Take(Math.Max(1, xs.Count / 10)).Average();
    static double Tail(IReadOnlyList<double> xs) => xs.Skip(xs.Count - Math.Max(1, xs.Count / 10)).Average();

    public static JsonObject ToJson(FewShotRun r) => new()
    {
        ["method"] = r.Method, ["k"] = r.K, ["seed"] = r.Seed, ["train_examples"] = r.TrainExamples,
        ["accuracy"] = r.Accuracy, ["macro_f1"] = r.MacroF1, ["seconds"] = r.Seconds, ["note"] = r.Note,
    };
}
