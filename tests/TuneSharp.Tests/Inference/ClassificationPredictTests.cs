using System.Text.Json.Nodes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Inference;

public sealed class ClassificationPredictTests : IDisposable
{
    readonly InferenceKit kit = new();

    public void Dispose() => kit.Dispose();

    [Fact]
    public void Sequence_classifier_writes_one_row_per_record_with_a_label_and_probabilities_summing_to_one()
    {
        var input = kit.Jsonl("in.jsonl",
            """{"id": 1, "text": "the movie was good"}""",
            """{"id": 2, "text": "awful plot"}""",
            "",
            """{"id": 3, "text": "quite a story and very fine acting"}""",
            """{"id": 4, "text": "bad"}""",
            """{"id": 5, "text": "the end"}""",
            // Longer than the model's 128 positions: truncated to what it can read, as pipelines do.
            new JsonObject { ["id"] = 6, ["text"] = string.Join(" ", Enumerable.Repeat("a long email body", 200)) }.ToJsonString());
        var output = kit.Path("out.jsonl");
        var r = InferenceKit.Predict("--model", TaskTestKit.Bert, "--task", "sequence-classification", "--input", input,
            "--output", output, "--batch-size", "2", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("6 record(s)", r.Stdout, StringComparison.Ordinal);

        var rows = InferenceKit.ReadJsonl(output);
        string[] labels = ["LABEL_0", "LABEL_1", "LABEL_2"];
        Assert.Equal([1, 2, 3, 4, 5, 6], rows.Select(x => (int)x["id"]!));
        foreach (var row in rows)
        {
            Assert.False(string.IsNullOrEmpty((string?)row["text"]));                // input fields kept
            var label = (string)row["label"]!;
            Assert.Contains(label, labels);
            var probabilities = (JsonObject)row["probabilities"]!;
            Assert.Equal(labels, probabilities.Select(p => p.Key));
            Assert.Equal(1.0, probabilities.Sum(p => (double)p.Value!), 5);
            Assert.Equal(label, probabilities.MaxBy(p => (double)p.Value!).Key);
        }
    }

    [Theory]
    [InlineData("tiny-bert-cls")]
    [InlineData("tiny-llama")]
    public void Token_classifier_predicts_one_tag_per_word_as_the_trained_task_does(string baseModel)
    {
        var train = TaskTestKit.WordListNer(40, seed: 1);
        var validation = TaskTestKit.WordListNer(6, seed: 2);
        var modelDir = kit.Path("run/model");
        IReadOnlyList<IReadOnlyList<string>> expected;
        IReadOnlyList<string> tagSet;
        using (var task = new TokenClassificationTask(Fixtures.HfTiny(baseModel), new TaskData(train, validation), new TaskOptions()))
        {
            TaskTestKit.Train(task, steps: 4, batchSize: 8, lr: 5e-3);
            task.Save(modelDir);
            expected = task.Predict(Split.Validation, 4, CPU);
            tagSet = task.Labels.Names;
        }
        // Unlabeled input: the words only (as a list, and once as a plain string split on whitespace).
        var lines = validation.Select((rec, i) => i == 0
            ? new JsonObject { ["tokens"] = string.Join(" ", rec.Fields["tokens"]!.AsArray().Select(w => (string)w!)) }.ToJsonString()
            : new JsonObject { ["tokens"] = rec.Fields["tokens"]!.DeepClone() }.ToJsonString()).ToArray();
        var output = kit.Path("tags.jsonl");
        var r = InferenceKit.Predict("--model", modelDir, "--task", "token-classification", "--input", kit.Jsonl("words.jsonl", lines),
            "--output", output, "--batch-size", "4", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);

        var rows = InferenceKit.ReadJsonl(output);
        Assert.Equal(validation.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var tags = rows[i]["predicted_tags"]!.AsArray().Select(t => (string)t!).ToList();
            Assert.Equal(validation[i].Fields["tokens"]!.AsArray().Count, tags.Count);
            Assert.All(tags, t => Assert.Contains(t, tagSet));
            Assert.Equal(expected[i], tags);
        }
    }
}
