using TuneSharp.Cli.Commands;
using TuneSharp.Tests.Cli;
using TuneSharp.Tuning;

namespace TuneSharp.Tests.Tuning;

public sealed class SearchSpaceLoaderTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("tunesharp-search-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    static string RepoRecipe => Path.Combine(Fixtures.RepoRoot, "recipes", "sequence-classification", "tunesharp-base_lora_cpu.yaml");

    string Write(string body)
    {
        var path = Path.Combine(dir, "s.search.yaml");
        File.WriteAllText(path, $"recipe: {RepoRecipe}\n" + body);
        return path;
    }

    [Fact]
    public void The_committed_search_loads_with_its_conditional_rank_and_the_recipe_defaults()
    {
        var space = SearchSpaceLoader.Load(Path.Combine(Fixtures.RepoRoot, "recipes", "sequence-classification", "tunesharp-base_lora_cpu.search.yaml"));
        Assert.Equal(["training.learning_rate", "method.lora.r", "training.warmup_ratio"], space.Params.Select(p => p.Key).ToArray());
        Assert.Equal(("macro_f1", true, "tpe", "asha", 12), (space.Metric, space.Maximize, space.Sampler.Name, space.Pruner.Name, space.Trials));
        var r = Assert.IsType<IntParam>(space.Params[1]);
        Assert.Equal("method.type", r.When!.Key);
        Assert.Equal(["lora"], r.When!.Values);
        Assert.True(Assert.IsType<FloatParam>(space.Params[0]).Log);
    }

    [Fact]
    public void A_conditional_key_is_sampled_only_when_its_condition_holds()
    {
        var space = SearchSpaceLoader.Load(Write("""
            params:
              method.type: {type: categorical, choices: [lora, full]}
              method.lora.r: {type: int, low: 2, high: 8, step: 2, when: {method.type: lora}}
            """));
        var rng = new Random(1);
        var samples = Enumerable.Range(0, 60).Select(_ => space.SampleEach(_ => null, p => p.SampleUniform(rng))).ToList();
        Assert.All(samples, s => Assert.Equal(s["method.type"]!.GetValue<string>() == "lora", s.ContainsKey("method.lora.r")));
        Assert.Contains(samples, s => !s.ContainsKey("method.lora.r"));
        // A condition on a recipe key that is not searched reads the recipe (method.type: lora there).
        var fromRecipe = SearchSpaceLoader.Load(Write("params:\n  method.lora.r: {type: int, low: 2, high: 8, when: {method.type: full}}\n"));
        var lookup = RecipeObjective.Lookup(fromRecipe);
        Assert.Equal("lora", ParamSpec.Text(lookup("method.type")));
        Assert.Empty(fromRecipe.SampleEach(lookup, p => p.SampleUniform(rng)));
    }

    [Theory]
    [InlineData("params:\n  training.learnig_rate: {type: float, low: 1.0e-4, high: 1.0e-2}\n", "training.learnig_rate", "did you mean 'training.learning_rate'")]
    [InlineData("fixed:\n  training.epoch: 1\nparams:\n  training.learning_rate: {type: float, low: 1.0e-4, high: 1.0e-2}\n", "training.epoch", "did you mean 'training.epochs'")]
    [InlineData("params:\n  method.lora.r: {type: int, low: 2, high: 8, when: {method.typ: lora}}\n", "method.typ", "did you mean 'method.type'")]
    [InlineData("params:\n  method.lora: {type: int, low: 2, high: 8}\n", "method.lora", "is a section")]
    [InlineData("params:\n  method.lora.r: {type: float, low: 2, high: 8}\n", "method.lora.r", "not floats")]
    [InlineData("params:\n  training.learning_rate: {type: float, low: 0, high: 1, log: true}\n", "training.learning_rate", "log scale needs low > 0")]
    [InlineData("sampler: {name: bayes}\nparams:\n  training.learning_rate: {type: float, low: 1.0e-4, high: 1.0e-2}\n", "bayes", "must be random, grid, tpe")]
    public void A_bad_key_or_value_is_one_user_error_naming_the_file_line_and_key(string body, string key, string hint)
    {
        var path = Write(body);
        var e = Assert.Throws<UserError>(() => SearchSpaceLoader.Load(path));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tune_command_rejects_a_bad_key_before_any_trial_with_one_error_line_and_exit_2()
    {
        var path = Write("params:\n  training.learnig_rate: {type: float, low: 1.0e-4, high: 1.0e-2}\n");
        var runs = Path.Combine(dir, "runs");
        var result = CliHarness.Run(TuneCommand.Create(), "tune", path, "--runs-dir", runs);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {path}:3: 'training.learnig_rate' is not a recipe key", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(runs)); // no study, no trial
    }

    [Fact]
    public void A_value_the_recipe_rejects_is_caught_before_the_first_trial()
    {
        var path = Write("params:\n  data.fields: {type: categorical, choices: [text]}\n");
        var result = CliHarness.Run(TuneCommand.Create(), "tune", path, "--runs-dir", Path.Combine(dir, "runs"));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("data.fields", result.Stderr, StringComparison.Ordinal);
    }
}
