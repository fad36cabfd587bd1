using TuneSharp.Recipes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Inference;
using TuneSharp.Tests.Tasks;
using TuneSharp.Training;

namespace TuneSharp.Tests.Recipes;

public sealed class MultiTaskRecipeTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-multitask-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    string Write(string extraTaskKeys = "", string section = "mixing: temperature\n  temperature: 2", string rest = "")
    {
        void Jsonl(string name, IEnumerable<TuneSharp.Data.DataRecord> records) =>
            File.WriteAllLines(Path.Combine(root, name), records.Select(r => r.Fields.ToJsonString()));
        Jsonl("s-train.jsonl", TaskTestKit.KeywordSentiment(40, 1));
        Jsonl("s-val.jsonl", TaskTestKit.KeywordSentiment(12, 2));
        Jsonl("n-train.jsonl", TaskTestKit.WordListNer(20, 3));
        Jsonl("n-val.jsonl", TaskTestKit.WordListNer(8, 4));
        var path = Path.Combine(root, "recipe.yaml");
        File.WriteAllText(path, $"""
            model: {TaskTestKit.Bert}
            task: multi-task
            seed: 3
            device: cpu
            output_dir: run
            multi_task:
              {section}
              tasks:
                sentiment:
                  task: sequence-classification
                  train: s-train.jsonl
                  validation: s-val.jsonl
                  labels: [neg, pos]
                  max_length: 32
                  pooling: mean
                  {extraTaskKeys}
                ner:
                  task: token-classification
                  train: n-train.jsonl
                  validation: n-val.jsonl
                  validation_limit: 5
                  max_length: 32
            training: {"{"}epochs: 1, batch_size: 8, learning_rate: 1.0e-3{"}"}
            evaluation: {"{"}metric_for_best_model: score, eval_batch_size: 16{"}"}
            {rest}
            """);
        return path;
    }

    [Fact]
    public void A_multi_task_recipe_trains_one_model_whose_heads_predict_by_name()
    {
        var outcome = RecipeRunner.Run(RecipeLoader.Load(Write()));
        Assert.Equal(5 + 3, outcome.Result.Steps);                       // ⌈40/8⌉ + ⌈20/8⌉ batches, one epoch
        Assert.Contains("sentiment/accuracy", outcome.Validation!.Metrics.Keys);
        Assert.Contains("ner/f1", outcome.Validation.Metrics.Keys);
        Assert.Equal(outcome.Result.BestMetric!.Value, outcome.Validation["score"], 9);
        var report = File.ReadAllText(Path.Combine(outcome.RunDir, "report.md"));
        Assert.Contains("ner/validation", report, StringComparison.Ordinal);  // per-task data files, 5 of 8 validation sentences
        using (var mt = (MultiTaskTask)MultiTaskRecipe.Build(RecipeLoader.Load(Write()), "cpu"))
            Assert.Equal(5, mt.Tasks[1].Task.Count(Split.Validation));

        // tunesharp eval reads the recipe's tasks as training did and scores the saved heads the same.
        var eval = TuneSharp.Inference.ModelEvaluation.Run(RecipeLoader.Load(Path.Combine(root, "recipe.yaml")));
        Assert.Equal("validation", eval.Split);
        Assert.Equal(outcome.Validation["score"], eval.Result["score"], 6);
        Assert.Equal(12 + 5, eval.Examples);

        var input = Path.Combine(root, "in.jsonl");
        File.WriteAllLines(input, ["""{"text": "a good movie"}""", """{"text": "bad plot"}"""]);
        var output = Path.Combine(root, "out.jsonl");
        var r = InferenceKit.Predict("--model", outcome.ModelDir, "--task", "sequence-classification", "--head", "sentiment",
            "--input", input, "--output", output, "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.All(InferenceKit.ReadJsonl(output), row => Assert.Contains((string)row["label"]!, new[] { "neg", "pos" }));

        var words = Path.Combine(root, "words.jsonl");
        File.WriteAllLines(words, ["""{"tokens": ["Alice", "went", "to", "Paris"]}"""]);
        var viaRecipe = InferenceKit.Predict(Path.Combine(root, "recipe.yaml"), "--head", "ner", "--input", words, "--output", output, "--device", "cpu");
        Assert.True(viaRecipe.ExitCode == 0, viaRecipe.Stderr);
        Assert.Equal(4, InferenceKit.ReadJsonl(output)[0]["predicted_tags"]!.AsArray().Count);

        var unknown = InferenceKit.Predict("--model", outcome.ModelDir, "--task", "sequence-classification", "--head", "genre",
            "--input", input, "--output", output, "--device", "cpu");
        InferenceKit.AssertOneLineError(unknown, "'genre' is not a head", "sentiment (sequence-classification), ner (token-classification)");
    }

    [Fact]
    public void The_recipe_mixing_is_the_trainers_batch_order()
    {
        var recipe = RecipeLoader.Load(Write());
        using var task = MultiTaskRecipe.Build(recipe, "cpu");
        var order = MultiTaskRecipe.Order(recipe, task, recipe.Training());
        Assert.Equal("temperature", order.Mode);
        Assert.Equal(2, order.Temperature);
        Assert.Equal(new Trainer(task, recipe.Training(), Path.Combine(root, "t"), TorchSharp.torch.CPU, order).Plan().BatchesPerEpoch, order.Batches(0).Count);
    }

    [Theory]
    [InlineData("weight: 2", "mixing: proportional\n  loss_weighting: uncertainty", "", "multi_task.tasks.sentiment.weight': loss_weighting: uncertainty learns the weights")]
    [InlineData("", "mixing: proportional\n  temperature: 3", "", "multi_task.temperature': only mixing: temperature reads it")]
    [InlineData("", "mixing: shuffled", "", "multi_task.mixing': 'shuffled' is not proportional, temperature, round_robin")]
    [InlineData("", "loss_weighting: learned", "", "multi_task.loss_weighting': 'learned' is not fixed, uncertainty")]
    [InlineData("", "mixing: proportional", "data: {train: s-train.jsonl}", "key 'data': a multi-task recipe gives each task its data")]
    [InlineData("", "mixing: proportional", "method: {type: lora}", "key 'method.type': multi-task learning fine-tunes in full")]
    public void A_contradictory_key_is_one_error_line_naming_it(string taskKeys, string section, string rest, string expected)
    {
        var e = Assert.Throws<UserError>(() => MultiTaskRecipe.Build(RecipeLoader.Load(Write(taskKeys, section, rest)), "cpu"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_unknown_task_key_names_its_path_and_line_and_overrides_reach_a_task()
    {
        var e = Assert.Throws<UserError>(() => RecipeLoader.Load(Write("wieght: 2")));
        Assert.Equal($"{Path.Combine(root, "recipe.yaml")}:17: unknown key 'multi_task.tasks.sentiment.wieght' (did you mean 'multi_task.tasks.sentiment.weight'?)", e.Message);
        var r = RecipeLoader.Load(Write(), ["multi_task.tasks.ner.weight=0.5", "multi_task.mixing=round_robin", "multi_task.temperature=null"]);
        Assert.Equal("0.5", r.Section("multi_task")["tasks"]!["ner"]!["weight"]!.ToJsonString());
        var single = RecipeLoader.Load(Write(), ["multi_task.tasks.ner=null"]);
        Assert.Equal(["sentiment"], MultiTaskRecipe.Check(single).Select(t => t.Name));
        var task = Assert.Throws<UserError>(() => MultiTaskRecipe.Build(RecipeLoader.Load(Write(), ["task=sequence-classification"]), "cpu"));
        Assert.Contains("key 'task': a recipe with a multi_task section has task: multi-task, not sequence-classification", task.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repository_multi_task_recipe_names_two_tasks_on_one_encoder()
    {
        var r = RecipeLoader.Load(Path.Combine(Fixtures.RepoRoot, "recipes", "multi-task", "genre_pos_minilm.yaml"));
        Assert.Equal(["genre", "pos"], MultiTaskRecipe.Check(r).Select(t => t.Name));
        Assert.Equal("proportional", MultiTaskRecipe.Mixing(r));
        Assert.False(MultiTaskRecipe.Uncertainty(r));
    }
}
