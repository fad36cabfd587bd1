using TuneSharp.Recipes;

namespace TuneSharp.Tests.Recipes;

public sealed class RecipeLoaderTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-recipe-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    string Write(string yaml)
    {
        var path = Path.Combine(dir, "recipe.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    const string Valid = """
        model: ../model
        task: sequence-classification
        seed: 13
        data:
          train: train.jsonl
          fields: {text: review, label: stars}
          labels: [neg, pos]
        method:
          type: lora
          lora: {r: 8, lora_alpha: 16, target_modules: [q_proj, v_proj]}
        training:
          epochs: 2
          learning_rate: 2e-4
          lr_scheduler: cosine
        evaluation:
          metric_for_best_model: accuracy
          early_stopping_patience: 3
        """;

    [Fact]
    public void A_valid_recipe_maps_to_typed_options_with_paths_relative_to_the_file()
    {
        var r = RecipeLoader.Load(Write(Valid));
        Assert.Equal("sequence-classification", r.Task);
        Assert.Equal(Path.GetFullPath(Path.Combine(dir, "../model")), r.Model);
        Assert.Equal(Path.Combine(dir, "train.jsonl"), r.PathOf(r.Get("data", "train")));
        Assert.Equal("lora", r.MethodType);
        var t = r.Training();
        Assert.Equal(2, t.Epochs);
        Assert.Equal(2e-4, t.LearningRate);
        Assert.Equal("cosine", t.LrScheduler);
        Assert.Equal(13, t.Seed);
        Assert.Equal("accuracy", t.MetricForBestModel);
        Assert.True(t.GreaterIsBetter); // accuracy is maximised by default
        Assert.Equal(3, t.EarlyStoppingPatience);
        Assert.Equal(8, t.BatchSize); // default
        Assert.Equal(["neg", "pos"], r.List(r.Section("data"), "labels"));
    }

    [Fact]
    public void Overrides_set_typed_values_and_lists()
    {
        var r = RecipeLoader.Load(Write(Valid), ["training.learning_rate=1e-3", "training.epochs=5", "method.lora.target_modules=[q_proj, k_proj]", "evaluation.greater_is_better=false"]);
        Assert.Equal(1e-3, r.Training().LearningRate);
        Assert.Equal(5, r.Training().Epochs);
        Assert.False(r.Training().GreaterIsBetter);
        Assert.Equal(["q_proj", "k_proj"], r.List((System.Text.Json.Nodes.JsonObject)r.Section("method")["lora"]!, "target_modules"));
        Assert.Contains("learning_rate: 0.001", r.ToYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_names_file_line_path_and_the_closest_valid_name()
    {
        var e = Assert.Throws<UserError>(() => RecipeLoader.Load(Write(Valid.Replace("  learning_rate: 2e-4", "  learning_rat: 2e-4", StringComparison.Ordinal))));
        Assert.Equal($"{Path.Combine(dir, "recipe.yaml")}:13: unknown key 'training.learning_rat' (did you mean 'training.learning_rate'?)", e.Message);
    }

    [Fact]
    public void Unknown_override_key_is_an_error_with_a_suggestion()
    {
        var e = Assert.Throws<UserError>(() => RecipeLoader.Load(Write(Valid), ["trainig.epochs=3"]));
        Assert.Contains("unknown key 'trainig'", e.Message);
        Assert.Contains("did you mean 'training'", e.Message);
    }

    [Fact]
    public void Wrong_types_name_the_key_and_line()
    {
        var e = Assert.Throws<UserError>(() => RecipeLoader.Load(Write(Valid.Replace("epochs: 2", "epochs: two", StringComparison.Ordinal))));
        Assert.Contains("recipe.yaml:12: key 'training.epochs': expected an integer, got \"two\"", e.Message);
        var f = Assert.Throws<UserError>(() => RecipeLoader.Load(Write(Valid), ["training.learning_rate=fast"]));
        Assert.Contains("key 'training.learning_rate': expected a number", f.Message);
    }

    [Fact]
    public void Invalid_yaml_and_bad_task_are_one_line_errors()
    {
        var e = Assert.Throws<UserError>(() => RecipeLoader.Load(Write("model: [unclosed\ntask: x\n")));
        Assert.Contains("recipe.yaml:", e.Message);
        Assert.Contains("invalid YAML", e.Message);
        var r = RecipeLoader.Load(Write(Valid.Replace("task: sequence-classification", "task: sequence-clasification", StringComparison.Ordinal)));
        var t = Assert.Throws<UserError>(() => r.Task);
        Assert.Contains("did you mean 'sequence-classification'", t.Message);
        Assert.Throws<UserError>(() => RecipeLoader.Load(Path.Combine(dir, "missing.yaml")));
    }

    [Fact]
    public void Every_recipe_in_the_repository_is_valid()
    {
        var recipes = Directory.GetFiles(Path.Combine(Fixtures.RepoRoot, "recipes"), "*.yaml", SearchOption.AllDirectories);
        foreach (var path in recipes)
        {
            if (path.EndsWith(".search.yaml", StringComparison.Ordinal))
            {
                // A hyperparameter search beside a recipe (tunesharp tune), checked as such.
                Assert.NotEmpty(TuneSharp.Tuning.SearchSpaceLoader.Load(path).Params);
                continue;
            }
            var r = RecipeLoader.Load(path);
            Assert.Contains(r.Task, RecipeSchema.Tasks);
            r.Training().Validate();
        }
    }

    [Fact]
    public void Compute_and_layerwise_keys_bind_and_a_bad_precision_is_one_clear_error()
    {
        var r = RecipeLoader.Load(Write(Valid.Replace("  lr_scheduler: cosine", """
              lr_scheduler: cosine
              precision: bf16
              optimizer: adamw_flat
              layerwise_lr_decay: 2.6
              chunked_cross_entropy: true
              gradient_checkpointing: true
            """.TrimEnd(), StringComparison.Ordinal)));
        var o = r.Training();
        Assert.True(o.MixedBf16);
        Assert.Equal("adamw_flat", o.Optimizer);
        Assert.Equal(2.6, o.LayerwiseLrDecay);
        var task = RecipeTask.Options(r, "cpu");
        Assert.True(task.ChunkedCrossEntropy);
        Assert.True(task.GradientCheckpointing);
        var bad = RecipeLoader.Load(Write(Valid.Replace("  lr_scheduler: cosine", "  lr_scheduler: cosine\n  precision: fp16", StringComparison.Ordinal)));
        Assert.Contains("training.precision", Assert.Throws<UserError>(() => bad.Training().Validate()).Message);
    }
}
