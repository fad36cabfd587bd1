using TuneSharp.Server;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;

namespace TuneSharp.Tests.Server;

public sealed class MultiTaskServeTests : IDisposable
{
    readonly string dir = TaskTestKit.TempDir();

    public void Dispose() => Directory.Delete(dir, true);

    [Fact]
    public void Serve_loads_the_head_named_by_head_and_refuses_a_folder_without_one()
    {
        var modelDir = Path.Combine(dir, "model");
        using (var task = new MultiTaskTask(TaskTestKit.Bert,
        [
            new SubTaskSpec("sentiment", "sequence-classification", new TaskData(TaskTestKit.KeywordSentiment(8, 1)), new TaskOptions { MaxLength = 32 }),
            new SubTaskSpec("ner", "token-classification", new TaskData(TaskTestKit.WordListNer(4, 2)), new TaskOptions { MaxLength = 32 }),
        ]))
            task.Save(modelDir);

        using (var served = ServedModel.Load(new ServeOptions { ModelDir = modelDir, Head = "sentiment" }))
        {
            Assert.Equal(["neg", "pos"], served.Classifier!.Labels.Names);
            var probs = served.Classifier.ClassifyTexts(["a good film"]);
            Assert.Equal(1.0, probs[0].Sum(), 5);
        }
        var none = Assert.Throws<UserError>(() => ServedModel.Load(new ServeOptions { ModelDir = modelDir }));
        Assert.Contains("pick a head with --head NAME (heads: sentiment (sequence-classification), ner (token-classification))", none.Message, StringComparison.Ordinal);
        var token = Assert.Throws<UserError>(() => ServedModel.Load(new ServeOptions { ModelDir = modelDir, Head = "ner" }));
        Assert.Contains("'ner' is a token-classification head, not sequence-classification", token.Message, StringComparison.Ordinal);
        var single = Assert.Throws<UserError>(() => ServedModel.Load(new ServeOptions { ModelDir = TaskTestKit.Bert, Head = "sentiment" }));
        Assert.Contains("is not a multi-task model", single.Message, StringComparison.Ordinal);
    }
}
