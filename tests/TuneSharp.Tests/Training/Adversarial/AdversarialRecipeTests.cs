using TuneSharp.Recipes;
using TuneSharp.Tests.Tasks;
using TuneSharp.Training;

namespace TuneSharp.Tests.Training.Adversarial;

/// <summary>The recipe's adversarial section: every method trains end to end; bad keys are one error naming them.</summary>
[Collection(SequentialCollection.Name)]
public sealed class AdversarialRecipeTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-adversarial-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    string Recipe(string adversarial, string method = "full")
    {
        var path = TuneSharp.Tests.Training.FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, method);
        File.WriteAllText(path, File.ReadAllText(path) + "\nadversarial: " + adversarial + "\n");
        return path;
    }

    [Theory]
    [InlineData("{method: fgm, epsilon: 0.5}", "FGM")]
    [InlineData("{method: pgd, steps: 2, step_size: 0.2, init: uniform}", "PGD")]
    [InlineData("{method: freelb, steps: 2, norm: linf, epsilon: 0.05, step_size: 0.02}", "FreeLB")]
    [InlineData("{method: smart, steps: 1, lambda_s: 1, mu: 1, beta: 0.9}", "SMART")]
    public void Each_method_trains_from_a_recipe_and_names_itself_in_the_report(string adversarial, string name)
    {
        var outcome = RecipeRunner.Run(RecipeLoader.Load(Recipe(adversarial), []));
        Assert.Equal(8, outcome.Result.Steps); // 60 examples, batches of 8: the same steps as without it
        var train = MetricsLog.Read(Path.Combine(outcome.RunDir, "metrics.jsonl"), "train");
        Assert.All(train, e => Assert.True(double.IsFinite((double)e["loss"]!) && (double)e["grad_norm"]! > 0));
        Assert.Contains(name, File.ReadAllText(Path.Combine(outcome.RunDir, "report.md")), StringComparison.Ordinal);
        Assert.True(outcome.Test!["accuracy"] >= 0);
    }

    [Theory]
    [InlineData("{epsilon: 1}", "adversarial.method")]
    [InlineData("{method: vat}", "adversarial.method")]
    [InlineData("{method: fgm, steps: 3}", "adversarial.steps")]
    [InlineData("{method: fgm, step_size: 0.1}", "adversarial.step_size")]
    [InlineData("{method: pgd, lambda_s: 1}", "adversarial.lambda_s")]
    [InlineData("{method: freelb, mu: 1}", "adversarial.mu")]
    [InlineData("{method: pgd, noise_var: 1e-5}", "adversarial.noise_var")]
    [InlineData("{method: pgd, epsilon: 0}", "adversarial.epsilon")]
    [InlineData("{method: pgd, steps: 0}", "adversarial.steps")]
    [InlineData("{method: pgd, norm: l1}", "adversarial.norm")]
    [InlineData("{method: freelb, init: ones}", "adversarial.init")]
    [InlineData("{method: smart, beta: 1}", "adversarial.beta")]
    [InlineData("{method: smart, init: zero}", "adversarial.init")]
    [InlineData("{method: fgm, eps: 1}", "adversarial.eps")] // unknown key: the schema names it
    public void A_bad_adversarial_key_is_one_error_naming_it(string adversarial, string key)
    {
        var e = Assert.Throws<UserError>(() => AdversarialRecipe.Options(RecipeLoader.Load(Recipe(adversarial), [])));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Adversarial_training_with_frozen_features_is_an_error_before_the_model_loads()
    {
        var e = Assert.Throws<UserError>(() => RecipeRunner.Run(RecipeLoader.Load(Recipe("{method: fgm}", "frozen-features"), [])));
        Assert.Contains("'adversarial'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decoder_has_no_bert_embeddings_to_perturb()
    {
        var path = Recipe("{method: fgm}");
        File.WriteAllText(path, File.ReadAllText(path).Replace(TaskTestKit.Bert, TaskTestKit.Llama));
        var e = Assert.Throws<UserError>(() => RecipeRunner.Run(RecipeLoader.Load(path, [])));
        Assert.Contains("adversarial", e.Message, StringComparison.Ordinal);
        Assert.Contains("BERT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_example_recipe_asks_for_freelb_with_two_steps()
    {
        var path = Path.Combine(Fixtures.RepoRoot, "recipes", "sequence-classification", "minilm_adversarial-freelb_cpu.yaml");
        var o = AdversarialRecipe.Options(RecipeLoader.Load(path))!;
        Assert.Equal(("freelb", 2, 2.0, 1.0, "l2", "uniform"), (o.Method, o.Steps, o.Epsilon, o.StepSize, o.Norm, o.Init));
    }
}
