using System.Text.Json.Nodes;
using TuneSharp.Data.Readers;
using TuneSharp.FewShot;
using TuneSharp.Inference;
using TuneSharp.Models;

namespace TuneSharp.Server.Dashboard;

/// <summary>
/// The playground's classify and embed boxes: the fine-tuned model of a run (its model/ folder) classifies a text,
/// or embeds it and ranks a small sample of texts by cosine similarity. One model is held at a time (the last one
/// asked for), and requests take turns, so a dashboard on a laptop never holds more than one model in memory.
/// </summary>
public sealed class PlaygroundModels(RunCatalog catalog, DataView data) : IDisposable
{
    /// <summary>Texts in a neighbour sample at most, and characters per text.</summary>
    public const int MaxSample = 200, MaxText = 4000;

    readonly Lock gate = new();
    string? loadedKey;
    IDisposable? loaded;

    /// <summary>Runs with a model folder, and what the playground can do with each: classify, embed (or both).</summary>
    public JsonArray List()
    {
        var models = new JsonArray();
        foreach (var run in catalog.List())
        {
            if (catalog.FolderOf(run.Name) is not { } dir || !File.Exists(Path.Combine(dir, "model", "config.json"))) continue;
            var uses = new JsonArray();
            try
            {
                var config = Pretrained.Config(Path.Combine(dir, "model"));
                if (ClassifierLoader.IsSequenceClassifier(config)) uses.Add("classify");
                uses.Add("embed");
            }
            catch (UserError) { continue; } // an unreadable config.json: not offered (the run page shows why)
            models.Add(new JsonObject { ["run"] = run.Name, ["uses"] = uses });
        }
        return models;
    }

    /// <summary>The run's classifier on one text: the best label and every label's probability.</summary>
    public JsonObject Classify(string? run, string? text)
    {
        var (dir, input) = (ModelDir(run), Text(text, "text"));
        lock (gate)
        {
            var classifier = Hold(dir, "classify", () => ClassifierLoader.Load(dir));
            var probs = classifier.ClassifyTexts([input])[0];
            var byLabel = new JsonObject();
            foreach (var k in Enumerable.Range(0, probs.Length).OrderByDescending(k => probs[k]))
                byLabel[classifier.Labels.Names[k]] = Math.Round(probs[k], 4);
            return new JsonObject { ["run"] = run, ["label"] = classifier.Labels.Names[Array.IndexOf(probs, probs.Max())], ["probs"] = byLabel };
        }
    }

    /// <summary>
    /// The run's encoder on one text, and the <paramref name="k"/> nearest texts of a sample by cosine similarity: the
    /// sample is the texts given, or the first <see cref="MaxSample"/> texts of a data file under the data folder.
    /// </summary>
    public JsonObject Embed(string? run, string? text, IReadOnlyList<string>? sample, string? file, string? textField, int k)
    {
        var (dir, input) = (ModelDir(run), Text(text, "text"));
        if (k is < 1 or > 50) throw new UserError("k: must be between 1 and 50");
        var texts = sample is { Count: > 0 } ? sample.Take(MaxSample).Select((t, i) => Text(t, $"sample[{i}]")).ToList()
            : file is not null ? Sample(file, textField ?? "text")
            : throw new UserError("give sample texts, or a data file (start the dashboard with --data DIR)");
        lock (gate)
        {
            var encoder = Hold(dir, "embed", () => SentenceEncoder.Load(dir));
            var vectors = encoder.Embed([input, .. texts]);
            var query = vectors[0];
            var ranked = texts.Select((t, i) => (Text: t, Score: ZeroShotSimilarity.Cosine(query, vectors[i + 1])))
                .OrderByDescending(x => x.Score).Take(k)
                .Select(x => (JsonNode)new JsonObject { ["text"] = x.Text, ["score"] = Math.Round(x.Score, 4) });
            return new JsonObject
            {
                ["run"] = run, ["dimension"] = query.Length, ["norm"] = Math.Round(Math.Sqrt(query.Sum(v => (double)v * v)), 4),
                ["sample_size"] = texts.Count, ["neighbours"] = new JsonArray(ranked.ToArray()),
            };
        }
    }

    List<string> Sample(string file, string textField)
    {
        var texts = DataSources.Open(data.Resolve(file))
            .Select(r => r.Fields[textField]?.ToString())
            .Where(t => !string.IsNullOrWhiteSpace(t)).Take(MaxSample).Select(t => t!.Length > MaxText ? t[..MaxText] : t).ToList();
        return texts.Count > 0 ? texts : throw new UserError($"file: {file} has no '{textField}' texts");
    }

    string ModelDir(string? run)
    {
        if (string.IsNullOrEmpty(run) || catalog.FolderOf(run) is not { } dir) throw new UserError($"run: no run '{run}'");
        var model = Path.Combine(dir, "model");
        return File.Exists(Path.Combine(model, "config.json")) ? model : throw new UserError($"run: '{run}' has no model folder (not finished?)");
    }

    static string Text(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new UserError($"{what}: give a text");
        return text.Length <= MaxText ? text : throw new UserError($"{what}: longer than {MaxText} characters");
    }

    /// <summary>The model of <paramref name="dir"/> loaded for <paramref name="use"/>, loading it (and letting the previous one go) if needed.</summary>
    T Hold<T>(string dir, string use, Func<T> load) where T : class, IDisposable
    {
        string key = use + ":" + dir + ":" + File.GetLastWriteTimeUtc(Path.Combine(dir, "config.json")).Ticks;
        if (key == loadedKey && loaded is T same) return same;
        loaded?.Dispose();
        (loaded, loadedKey) = (null, null);
        var model = load();
        (loaded, loadedKey) = (model, key);
        return model;
    }

    public void Dispose()
    {
        lock (gate) { loaded?.Dispose(); loaded = null; loadedKey = null; }
    }
}
