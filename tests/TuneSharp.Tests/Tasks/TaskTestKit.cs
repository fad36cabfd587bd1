using System.Text.Json.Nodes;
using TorchSharp;
using TuneSharp.Data;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Tasks;

/// <summary>Records, synthetic datasets and a small AdamW loop for task tests (the real trainer lives elsewhere).</summary>
internal static class TaskTestKit
{
    public static string Llama => Fixtures.HfTiny("tiny-llama");
    public static string Gpt2 => Fixtures.HfTiny("tiny-gpt2");
    public static string Bert => Fixtures.HfTiny("tiny-bert-cls");

    /// <summary>Records from JSON object literals, lines numbered from 1 in file "test.jsonl".</summary>
    public static List<DataRecord> Records(params string[] json) =>
        json.Select((j, i) => new DataRecord("test.jsonl", i + 1, (JsonObject)JsonNode.Parse(j)!)).ToList();

    public static DataRecord Record(JsonObject fields, int line) => new("synthetic.jsonl", line, fields);

    /// <summary>Sentiment by keyword: "good/great/fine" → pos, "bad/awful/poor" → neg, in filler sentences.</summary>
    public static List<DataRecord> KeywordSentiment(int n, int seed)
    {
        var rng = new Random(seed);
        string[] pos = ["good", "great", "fine"], neg = ["bad", "awful", "poor"];
        string[] filler = ["the", "movie", "was", "really", "plot", "and", "acting", "very", "quite", "story"];
        var list = new List<DataRecord>();
        for (int i = 0; i < n; i++)
        {
            bool p = rng.Next(2) == 0;
            var words = Enumerable.Range(0, 4 + rng.Next(4)).Select(_ => filler[rng.Next(filler.Length)]).ToList();
            words.Insert(rng.Next(words.Count + 1), (p ? pos : neg)[rng.Next(3)]);
            list.Add(Record(new JsonObject { ["text"] = string.Join(" ", words), ["label"] = p ? "pos" : "neg" }, i + 1));
        }
        return list;
    }

    /// <summary>NER by word list: names → B-PER (a following surname → I-PER), cities → B-LOC, the rest O.</summary>
    public static List<DataRecord> WordListNer(int n, int seed)
    {
        var rng = new Random(seed);
        string[] names = ["Alice", "Bob", "Carol", "Dmitri"], surnames = ["Smith", "Jones"], cities = ["Paris", "Berlin", "Tokyo", "Lima"];
        string[] other = ["went", "to", "see", "the", "market", "in", "with", "friends", "today", "and"];
        var list = new List<DataRecord>();
        for (int i = 0; i < n; i++)
        {
            var tokens = new JsonArray();
            var tags = new JsonArray();
            int len = 5 + rng.Next(5);
            while (tokens.Count < len)
            {
                int kind = rng.Next(6);
                if (kind == 0) { tokens.Add(names[rng.Next(names.Length)]); tags.Add("B-PER"); if (rng.Next(2) == 0) { tokens.Add(surnames[rng.Next(2)]); tags.Add("I-PER"); } }
                else if (kind == 1) { tokens.Add(cities[rng.Next(cities.Length)]); tags.Add("B-LOC"); }
                else { tokens.Add(other[rng.Next(other.Length)]); tags.Add("O"); }
            }
            list.Add(Record(new JsonObject { ["tokens"] = tokens, ["tags"] = tags }, i + 1));
        }
        return list;
    }

    /// <summary>Full fine-tuning with AdamW on shuffled batches; returns the loss of every step.</summary>
    public static List<double> Train(ITask task, int steps, int batchSize, double lr, int seed = 0)
    {
        torch.manual_seed(seed);
        var rng = new Random(seed);
        using var optimizer = torch.optim.AdamW(task.Module.parameters(), lr, weight_decay: 0.0);
        task.Module.train();
        var losses = new List<double>();
        var order = new List<int>();
        for (int step = 0; step < steps; step++)
        {
            if (order.Count < batchSize) order.AddRange(Enumerable.Range(0, task.Count(Split.Train)).OrderBy(_ => rng.Next()));
            var indices = order.Take(batchSize).ToList();
            order.RemoveRange(0, indices.Count);
            using var scope = NewDisposeScope();
            using var batch = task.Collate(Split.Train, indices, CPU);
            optimizer.zero_grad();
            var loss = task.Loss(batch);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        return losses;
    }

    /// <summary>Mean of the first and of the last <paramref name="k"/> losses.</summary>
    public static (double First, double Last) Ends(List<double> losses, int k = 5) =>
        (losses.Take(k).Average(), losses.TakeLast(k).Average());

    /// <summary>Same shape and every element equal.</summary>
    public static bool SameAs(this Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tunesharp-tasks-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
