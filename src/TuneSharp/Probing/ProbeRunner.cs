using System.Diagnostics;
using TuneSharp.Models;
using TuneSharp.Models.Bert;
using TuneSharp.Models.Import;
using TuneSharp.Runtime;
using TuneSharp.Tokenization;

namespace TuneSharp.Probing;

/// <summary>
/// <c>tunesharp probe</c>: linear probes on the frozen representations of every layer of a BERT-family encoder, for
/// Brown part of speech (per word) and Brown genre (per passage), each beside its control task, so that every layer
/// gets an accuracy and a selectivity. Each split's features are read once for all layers and kept in memory
/// (rows × layers × hidden floats: 2,000 words × 7 × 384 is 22 MB); then (grid + 1) regressions are fitted per layer.
/// </summary>
public static class ProbeRunner
{
    /// <summary>Runs the probes and writes probe.md, probe.json and probe.png into <see cref="ProbeOptions.Output"/>.</summary>
    public static ProbeRun Run(ProbeOptions options, Action<string> log)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var modelDir = ModelReference.Resolve(options.Model, Environment.CurrentDirectory);
        using var model = Pretrained.LoadBertModel(modelDir, DeviceSelection.Resolve(options.Device));
        var tokenizer = HfTokenizer.Load(modelDir);
        log($"probing {modelDir}: embeddings + {model.encoder.layer.Count} blocks");
        var results = new List<ProbeTaskResult>();
        foreach (var task in options.Tasks)
            results.Add(task == ProbeTasks.Pos ? PartOfSpeech(model, tokenizer, options, log) : Genre(model, tokenizer, options, log));
        var run = new ProbeRun(modelDir, options, results, clock.Elapsed.TotalSeconds);
        ProbeReport.Write(options.Output, run);
        return run;
    }

    // Token level: each word's tag at its first sub-token; the control gives each word type a random tag.
    static ProbeTaskResult PartOfSpeech(BertModel model, HfTokenizer tokenizer, ProbeOptions o, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var sentences = ProbeExamples.SplitNames.Select(s => ProbeExamples.Sentences(o.Data, s, o.RowCap(ProbeTasks.Pos, s), o.Seed)).ToArray();
        var features = sentences.Select(s => LayerFeatures.Words(model, tokenizer, s.Words, o.MaxLength, o.BatchSize)).ToArray();
        double featureSeconds = clock.Elapsed.TotalSeconds;
        log($"pos: features of {string.Join(" / ", features.Select(f => f.Rows.Count))} train/validation/test words read in {featureSeconds:0} s");

        string Tag(int split, (int Sentence, int Word) r) => sentences[split].Tags[r.Sentence][r.Word];
        string Word(int split, (int Sentence, int Word) r) => sentences[split].Words[r.Sentence][r.Word];
        var (classes, labels) = Indexed(features.Select((f, s) => f.Rows.Select(r => Tag(s, r)).ToList()).ToArray());
        var distribution = ControlTask.Distribution(labels[0], classes);
        var control = features.Select((f, s) => f.Rows.Select(r => ControlTask.LabelOf(Word(s, r), distribution, o.Seed)).ToArray()).ToArray();
        return Probe(ProbeTasks.Pos, classes, features.Select(f => f.Layers).ToArray(), labels, control, featureSeconds, o, log);
    }

    // Sequence level: each passage's genre from the mean of its tokens; the control shuffles the labels across passages.
    static ProbeTaskResult Genre(BertModel model, HfTokenizer tokenizer, ProbeOptions o, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var passages = ProbeExamples.SplitNames.Select(s => ProbeExamples.Passages(o.Data, s, o.RowCap(ProbeTasks.Genre, s), o.Seed)).ToArray();
        var features = passages.Select(p => LayerFeatures.MeanPooled(model, tokenizer, p.Texts, o.MaxLength, o.BatchSize)).ToArray();
        double featureSeconds = clock.Elapsed.TotalSeconds;
        log($"genre: features of {string.Join(" / ", passages.Select(p => p.Texts.Count))} train/validation/test passages read in {featureSeconds:0} s");

        var (classes, labels) = Indexed(passages.Select(p => p.Labels).ToArray());
        var control = labels.Select(l => ControlTask.Shuffled(l, o.Seed)).ToArray();
        return Probe(ProbeTasks.Genre, classes, features, labels, control, featureSeconds, o, log);
    }

    // The classes are the labels of the training split (names in ordinal order); a validation or test label outside
    // them becomes -1, which no prediction matches. names[split][row] → (class count, indices[split][row]).
    static (int Classes, int[][] Labels) Indexed(IReadOnlyList<string>[] names)
    {
        var classes = names[0].Distinct().Order(StringComparer.Ordinal).Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        return (classes.Count, names.Select(split => split.Select(n => classes.GetValueOrDefault(n, -1)).ToArray()).ToArray());
    }

    // splitLayers[split][layer] is (N_split, C); labels and control [split] are (N_split,).
    static ProbeTaskResult Probe(string task, int classes, IReadOnlyList<float[,]>[] splitLayers, int[][] labels, int[][] control,
        double featureSeconds, ProbeOptions o, Action<string> log)
    {
        var clock = Stopwatch.StartNew();
        var scores = new List<LayerScore>();
        for (int layer = 0; layer < splitLayers[0].Count; layer++)
        {
            var splits = Enumerable.Range(0, 3).Select(s => new ProbeSplit(splitLayers[s][layer], labels[s], control[s])).ToArray();
            var score = LayerProbe.Fit(layer, splits[0], splits[1], splits[2], classes, o.L2Grid, o.Solver);
            scores.Add(score);
            log(FormattableString.Invariant($"{task} {score.Name}: accuracy {score.Accuracy:0.0000}, control {score.ControlAccuracy:0.0000}, selectivity {score.Selectivity:0.0000} (l2 {score.L2:g}, {clock.Elapsed.TotalSeconds:0} s)"));
        }
        int majority = labels[0].GroupBy(l => l).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        double majorityAccuracy = LayerProbe.Accuracy(labels[2].Select(_ => majority).ToArray(), labels[2]);
        return new ProbeTaskResult(task, classes, labels[0].Length, labels[1].Length, labels[2].Length, majorityAccuracy, scores, featureSeconds, clock.Elapsed.TotalSeconds);
    }
}
