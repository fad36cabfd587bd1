using System.Text.Json.Nodes;
using TuneSharp.IO;
using TuneSharp.Models.Heads;
using TuneSharp.Recipes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using TuneSharp.Training;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training;

/// <summary>method.type frozen-features through the recipe runner on tiny-bert-cls: the encoder is untouched, the head is the regression.</summary>
[Collection(SequentialCollection.Name)]
public sealed class FrozenFeaturesTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-frozen-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    /// <summary>A recipe on keyword-sentiment files (60 train, 30 validation, 30 test) in a temp folder.</summary>
    internal static string WriteRecipe(string root, string model, string method)
    {
        void Write(string name, int n, int seed) => File.WriteAllLines(Path.Combine(root, name),
            TaskTestKit.KeywordSentiment(n, seed).Select(r => r.Fields.ToJsonString()));
        Write("train.jsonl", 60, 1);
        Write("validation.jsonl", 30, 2);
        Write("test.jsonl", 30, 3);
        var path = Path.Combine(root, "recipe.yaml");
        File.WriteAllText(path, $"""
            model: {model}
            task: sequence-classification
            seed: 3
            device: cpu
            output_dir: run
            data: {"{"}train: train.jsonl, validation: validation.jsonl, test: test.jsonl, labels: [neg, pos], max_length: 32{"}"}
            method: {"{"}type: {method}, pooling: mean, lora: {"{"}r: 4, target_modules: [query, value]{"}"}{"}"}
            training: {"{"}epochs: 1, batch_size: 8, learning_rate: 1.0e-3{"}"}
            evaluation: {"{"}metric_for_best_model: accuracy, eval_batch_size: 16{"}"}
            """);
        return path;
    }

    [Fact]
    public void The_encoder_is_untouched_and_the_head_is_the_regression_chosen_on_validation()
    {
        var recipe = RecipeLoader.Load(WriteRecipe(root, TaskTestKit.Bert, "frozen-features"), []);
        var outcome = RecipeRunner.Run(recipe);
        Assert.Equal(0, outcome.Result.Steps);
        Assert.Equal(2 * 64 + 2, outcome.TrainableParameters); // the classifier only

        var search = MetricsLog.Read(Path.Combine(outcome.RunDir, "metrics.jsonl"), "l2_search");
        Assert.Equal(FrozenFeatures.DefaultL2Grid, search.Select(e => (double)e["l2"]!));
        Assert.All(search, e => Assert.True((double)e["gradient_norm"]! < 1e-4));
        var best = search.MaxBy(e => (double)e["accuracy"]!)!; // the first of the best, as the runner keeps it
        Assert.Equal((double)best["accuracy"]!, outcome.Result.BestMetric);
        Assert.Equal((double)best["accuracy"]!, outcome.Validation!["accuracy"], 9);

        // Every encoder tensor of the saved model equals the checkpoint's.
        using (var saved = SafetensorsFile.Open(Path.Combine(outcome.ModelDir, "model.safetensors")))
        using (var source = SafetensorsFile.Open(Path.Combine(TaskTestKit.Bert, "model.safetensors")))
            foreach (var t in saved.Tensors.Where(t => t.Name.StartsWith("bert.", StringComparison.Ordinal)))
            {
                using var a = saved.Read(t.Name);
                using var b = source.Read(t.Name);
                Assert.True(a.eq(b).all().item<bool>(), t.Name);
            }

        // The head is the regression refitted here on the same vectors with the chosen penalty.
        using var task = (SequenceClassificationTask)RecipeTask.Build(recipe, "cpu");
        var bert = (BertSequenceClassifier)task.Model;
        var features = FrozenFeatures.Encode(task, bert, Split.Train, 16, CPU);
        var fit = SoftmaxRegression.Fit(features, task.Examples(Split.Train).Select(e => e.Label).ToArray(), 2, (double)best["l2"]!);
        using var saved2 = SafetensorsFile.Open(Path.Combine(outcome.ModelDir, "model.safetensors"));
        using var weight = saved2.Read("classifier.weight");
        Assert.True(weight.allclose(tensor(fit.Weight), rtol: 1e-5, atol: 1e-6));

        // The saved folder is an ordinary classifier: built again from it, the test metrics are the runner's.
        using var reloaded = RecipeTask.Build(RecipeLoader.Load(recipe.File, [$"model={outcome.ModelDir}"]), "cpu");
        var test = reloaded.Evaluate(Split.Test, 16, CPU);
        Assert.Equal(outcome.Test!["accuracy"], test["accuracy"], 9);
        Assert.Equal(outcome.Test!["loss"], test["loss"], 5);
    }

    [Fact]
    public void A_decoder_is_refused_with_the_key_named()
    {
        var recipe = RecipeLoader.Load(WriteRecipe(root, TaskTestKit.Llama, "frozen-features"), []);
        var e = Assert.Throws<UserError>(() => RecipeRunner.Run(recipe));
        Assert.Contains("method.type", e.Message, StringComparison.Ordinal);
        Assert.Contains("BERT-family", e.Message, StringComparison.Ordinal);
    }
}
