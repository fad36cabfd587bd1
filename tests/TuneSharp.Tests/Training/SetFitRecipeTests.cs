using TuneSharp.FewShot;
using TuneSharp.Inference;
using TuneSharp.IO;
using TuneSharp.Models.Heads;
using TuneSharp.Recipes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training;

/// <summary>method.type setfit through the recipe runner on tiny-bert-cls: the contrastive stage trains the body, the head is the regression on it.</summary>
[Collection(SequentialCollection.Name)]
public sealed class SetFitRecipeTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-setfit-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void The_body_trains_on_pairs_then_the_head_is_the_regression_on_the_tuned_body()
    {
        var path = FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, "setfit");
        var recipe = RecipeLoader.Load(path, ["method.setfit.max_pairs=40", "method.setfit.batch_size=8", "method.setfit.learning_rate=1e-3"]);
        var outcome = RecipeRunner.Run(recipe);

        // 40 pairs in batches of 8: five contrastive steps logged before the head's L2 search.
        var setfit = MetricsLog.Read(Path.Combine(outcome.RunDir, "metrics.jsonl"), "setfit");
        Assert.Equal([1, 2, 3, 4, 5], setfit.Select(e => (int)e["step"]!));
        Assert.All(setfit, e => Assert.InRange((double)e["loss"]!, 0, 4)); // (cos − target)² per pair, averaged
        Assert.Equal(FrozenFeatures.DefaultL2Grid.Count, MetricsLog.Read(Path.Combine(outcome.RunDir, "metrics.jsonl"), "l2_search").Count);

        // The body moved: some encoder tensor of the saved model differs from the checkpoint's.
        using var saved = SafetensorsFile.Open(Path.Combine(outcome.ModelDir, "model.safetensors"));
        using (var source = SafetensorsFile.Open(Path.Combine(TaskTestKit.Bert, "model.safetensors")))
        {
            double moved = saved.Tensors.Where(t => t.Name.StartsWith("bert.encoder.", StringComparison.Ordinal)).Max(t =>
            {
                using var a = saved.Read(t.Name);
                using var b = source.Read(t.Name);
                return (a - b).abs().max().item<float>();
            });
            Assert.True(moved > 1e-5, $"the contrastive stage left the encoder as it was (max change {moved})");
        }

        // The head is the regression on the tuned body's vectors: refit from the saved model, the weights agree.
        using var task = (SequenceClassificationTask)RecipeTask.Build(RecipeLoader.Load(path, [$"model={outcome.ModelDir}"]), "cpu");
        var features = FrozenFeatures.Encode(task, (BertSequenceClassifier)task.Model, Split.Train, 16, CPU);
        var best = MetricsLog.Read(Path.Combine(outcome.RunDir, "metrics.jsonl"), "l2_search").MaxBy(e => (double)e["accuracy"]!)!;
        var fit = SoftmaxRegression.Fit(features, task.Examples(Split.Train).Select(e => e.Label).ToArray(), 2, (double)best["l2"]!);
        using var weight = saved.Read("classifier.weight");
        Assert.True(weight.allclose(tensor(fit.Weight), rtol: 1e-4, atol: 1e-5));
        Assert.Equal(outcome.Test!["accuracy"], task.Evaluate(Split.Test, 16, CPU)["accuracy"], 9);
    }

    [Theory]
    [InlineData("method.type=full", "method.setfit.epochs=2", "method.setfit")]
    [InlineData("method.type=setfit", "method.setfit.max_pairs=0", "method.setfit.max_pairs")]
    [InlineData("method.type=setfit", "method.setfit.learning_rate=-1", "method.setfit.learning_rate")]
    [InlineData("method.type=setfit", "training.epochs=1", "")] // no error: the control
    public void Bad_setfit_keys_are_named(string type, string key, string named)
    {
        var recipe = RecipeLoader.Load(FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, "full"), [type, key]);
        if (named.Length == 0) { Assert.NotNull(SetFitRecipe.Options(recipe)); return; }
        var e = Assert.Throws<UserError>(() => SetFitRecipe.Options(recipe));
        Assert.Contains($"'{named}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sentence_encoder_path_and_the_body_path_train_alike()
    {
        // SetFitTrainer.Train(encoder, texts) is the body overload with the encoder's pooling: the same losses.
        string[] texts = ["good film", "great fun", "bad film", "awful plot", "fine acting", "poor pacing"];
        int[] labels = [1, 1, 0, 0, 1, 0];
        var options = new SetFitOptions(num_iterations: 2, batch_size: 4, learning_rate: 1e-3);
        using var a = SentenceEncoder.Load(TaskTestKit.Bert);
        var viaEncoder = SetFitTrainer.Train(a, texts, labels, options, seed: 5);
        Assert.NotEmpty(viaEncoder);
        Assert.All(viaEncoder, l => Assert.True(double.IsFinite(l)));
        using var b = SentenceEncoder.Load(TaskTestKit.Bert);
        Assert.Equal(viaEncoder, SetFitTrainer.Train(b, texts, labels, options, seed: 5)); // deterministic under a seed
    }
}
