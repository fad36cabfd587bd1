using System.Text.Json.Nodes;
using TuneSharp.Data.Pii;
using TuneSharp.Inference;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Inference;

public sealed class PersonNameDetectorTests : IDisposable
{
    readonly InferenceKit kit = new();

    public void Dispose() => kit.Dispose();

    /// <summary>A tiny BERT NER model (B-PER/I-PER/B-LOC/O) trained for a few steps and saved as a model folder.</summary>
    string TrainNer(List<TuneSharp.Data.DataRecord> train, List<TuneSharp.Data.DataRecord> validation, out IReadOnlyList<IReadOnlyList<string>> predicted)
    {
        var modelDir = kit.Path("run/model");
        using var task = new TokenClassificationTask(TaskTestKit.Bert, new TaskData(train, validation), new TaskOptions());
        TaskTestKit.Train(task, steps: 4, batchSize: 8, lr: 5e-3);
        task.Save(modelDir);
        predicted = task.Predict(Split.Validation, 4, CPU);
        return modelDir;
    }

    [Fact]
    public void Finds_the_person_spans_of_the_tags_the_trained_task_predicts()
    {
        var validation = TaskTestKit.WordListNer(6, seed: 2);
        var modelDir = TrainNer(TaskTestKit.WordListNer(40, seed: 1), validation, out var predicted);
        using var detector = PersonNameDetector.Load(modelDir, CPU);
        Assert.Equal(PiiType.Person, detector.Type);
        int found = 0;
        for (int i = 0; i < validation.Count; i++)
        {
            var text = string.Join(" ", validation[i].Fields["tokens"]!.AsArray().Select(w => (string)w!));
            var expected = PersonSpans.FromWordTags(text, PersonSpans.Words(text), predicted[i]);
            Assert.Equal(expected, detector.Find(text));
            found += expected.Count;
        }
        Assert.True(found > 0, "the trained model tags some names");   // the comparison is not between two empty lists
        // Through the scrubber: whatever the model calls a person becomes [PERSON].
        var scrubber = new PiiScrubber([PiiType.Person], personDetector: detector);
        var sample = string.Join(" ", validation[0].Fields["tokens"]!.AsArray().Select(w => (string)w!));
        Assert.Equal(detector.Find(sample).Count(), scrubber.Scrub(sample).Findings.Count);
    }

    [Fact]
    public void Texts_longer_than_the_model_reads_are_tagged_window_by_window()
    {
        var modelDir = TrainNer(TaskTestKit.WordListNer(16, seed: 1), TaskTestKit.WordListNer(2, seed: 2), out _);
        using var detector = PersonNameDetector.Load(modelDir, CPU, maxLength: 8);
        var words = Enumerable.Range(0, 50).Select(i => i % 5 == 0 ? "Alice" : "market").ToList();
        var tags = detector.Tags(words);
        Assert.Equal(words.Count, tags.Count);
        Assert.DoesNotContain(null, tags);
    }

    [Fact]
    public void A_model_without_person_tags_or_a_missing_folder_is_a_user_error()
    {
        var noPeople = TaskTestKit.WordListNer(12, seed: 3).Select(r =>
        {
            var tags = new JsonArray([.. r.Fields["tags"]!.AsArray().Select(t => (JsonNode?)((string)t! == "B-LOC" ? "B-LOC" : "O"))]);
            return TaskTestKit.Record(new JsonObject { ["tokens"] = r.Fields["tokens"]!.DeepClone(), ["tags"] = tags }, (int)r.Line);
        }).ToList();
        var modelDir = TrainNer(noPeople, noPeople.Take(2).ToList(), out _);
        Assert.Contains("no person tag", Assert.Throws<UserError>(() => PersonNameDetector.Load(modelDir, CPU)).Message);
        Assert.Contains("not found", Assert.Throws<UserError>(() => PersonNameDetector.Load(kit.Path("nowhere"), CPU)).Message);
    }
}
