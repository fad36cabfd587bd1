using System.Text.Json.Nodes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;

namespace TuneSharp.Tests.Inference;

public sealed class MultiLabelPredictTests : IDisposable
{
    readonly InferenceKit kit = new();

    public void Dispose() => kit.Dispose();

    [Fact]
    public void Multi_label_classifier_predicts_the_labels_over_the_threshold_with_per_label_probabilities()
    {
        var train = TaskTestKit.Records(
            """{"text": "sports and politics today", "label": ["sports", "politics"]}""",
            """{"text": "the match was great", "label": ["sports"]}""",
            """{"text": "a new law passed", "label": ["politics"]}""",
            """{"text": "markets fell", "label": ["economy"]}""");
        var modelDir = kit.Path("run/model");
        using (var task = new SequenceClassificationTask(TaskTestKit.Bert, new TaskData(train), new TaskOptions { MultiLabel = true }))
        {
            TaskTestKit.Train(task, steps: 3, batchSize: 4, lr: 1e-2);
            task.Save(modelDir);
        }
        var output = kit.Path("out.jsonl");
        var r = InferenceKit.Predict("--model", modelDir, "--task", "sequence-classification", "--device", "cpu", "--output", output,
            "--input", kit.Jsonl("in.jsonl", """{"text": "the law on sports"}""", """{"text": "markets"}""", """{"text": "great match"}"""));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var rows = InferenceKit.ReadJsonl(output);
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            var probabilities = (JsonObject)row["probabilities"]!;
            Assert.Equal(["economy", "politics", "sports"], probabilities.Select(p => p.Key));
            Assert.All(probabilities, p => Assert.InRange((double)p.Value!, 0.0, 1.0));
            var over = probabilities.Where(p => (double)p.Value! >= 0.5).Select(p => p.Key);
            Assert.Equal(over, row["label"]!.AsArray().Select(l => (string)l!));
        }
    }
}
