using TuneSharp.Recipes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using TuneSharp.Training;
using TuneSharp.Training.Curriculum;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training;

/// <summary>Curriculum learning: the pacing functions, the batch order they give, difficulty scores, and the recipe section.</summary>
[Collection(SequentialCollection.Name)]
public sealed class CurriculumTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-curriculum-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    // 100 examples whose difficulty is their index, batches of 10: 10 micro-batches an epoch; a 10-epoch run.
    static CurriculumOrder Order(CurriculumOptions o, long seed = 5) =>
        new(Enumerable.Range(0, 100).Select(i => (double)i).ToArray(), o, batchSize: 10, seed, totalMicroBatches: 100);

    [Theory]
    [InlineData(0.0, 0.1)]
    [InlineData(0.25, 0.50744)] // sqrt(0.25 · 0.99 + 0.01)
    [InlineData(1.0, 1.0)]
    [InlineData(3.0, 1.0)]
    public void Competence_grows_as_a_square_root_from_c0_to_one(double progress, double expected) =>
        Assert.Equal(expected, PacingFunction.Competence(progress, 0.1), 5);

    [Theory]
    [InlineData(0.0, 0.2)]
    [InlineData(0.19, 0.2)]
    [InlineData(0.2, 0.4)]
    [InlineData(0.99, 1.0)]
    [InlineData(2.0, 1.0)]
    public void Baby_steps_open_one_bucket_per_equal_share_of_the_pacing_phase(double progress, double expected) =>
        Assert.Equal(expected, PacingFunction.BabySteps(progress, 5), 9);

    [Fact]
    public void Every_batch_comes_from_the_open_easiest_prefix_and_the_whole_data_opens_at_the_pacing_ratio()
    {
        var order = Order(new CurriculumOptions { PacingRatio = 0.5, InitialCompetence = 0.1 });
        Assert.Equal(10, order.OpenCount(0));
        Assert.Equal(100, order.OpenCount(50));
        Assert.Equal(90, order.OpenCount(40)); // ceil(100 · sqrt(0.8 · 0.99 + 0.01))
        for (int epoch = 0; epoch < 10; epoch++)
        {
            var batches = order.Batches(epoch);
            Assert.Equal(10, batches.Count);
            for (int j = 0; j < batches.Count; j++)
            {
                int open = order.OpenCount(epoch * 10 + j);
                Assert.Equal(10, batches[j].Length);
                Assert.Equal(10, batches[j].Distinct().Count());
                Assert.All(batches[j], i => Assert.True(i < open, $"epoch {epoch} batch {j}: example {i} but only {open} open"));
            }
        }
        // Once everything is open for a whole epoch, the epoch is an ordinary shuffled pass: each example once.
        Assert.Equal(Enumerable.Range(0, 100), order.Batches(7).SelectMany(b => b).Order());
    }

    [Fact]
    public void The_anti_curriculum_starts_from_the_hardest()
    {
        var order = Order(new CurriculumOptions { HardFirst = true });
        Assert.All(order.Batches(0)[0], i => Assert.True(i >= 90));
        Assert.Equal(99, order.Ranked[0]);
    }

    [Fact]
    public void Baby_steps_deal_each_open_example_once_before_repeating_one()
    {
        // 5 buckets over 50 micro-batches: bucket k opens at micro-batch 10·(k−1); the first stage has 20 examples open.
        var order = Order(new CurriculumOptions { Pacing = Pacing.BabySteps, Buckets = 5, PacingRatio = 0.5 });
        var first = order.Batches(0);
        Assert.Equal(Enumerable.Range(0, 20), first[0].Concat(first[1]).Order());
        Assert.Equal(Enumerable.Range(0, 20), first[2].Concat(first[3]).Order());
        Assert.All(first, b => Assert.All(b, i => Assert.True(i < 20)));
        Assert.All(order.Batches(1), b => Assert.All(b, i => Assert.True(i < 40)));
    }

    [Fact]
    public void An_epoch_depends_only_on_seed_and_epoch_and_ties_are_broken_by_the_seed()
    {
        var options = new CurriculumOptions();
        Assert.Equal(Order(options).Batches(3), Order(options).Batches(3));
        Assert.NotEqual(Order(options, seed: 5).Batches(3), Order(options, seed: 6).Batches(3));

        var equal = new double[50];
        var a = new CurriculumOrder(equal, options, 5, seed: 1, totalMicroBatches: 40).Ranked;
        var b = new CurriculumOrder(equal, options, 5, seed: 2, totalMicroBatches: 40).Ranked;
        Assert.Equal(Enumerable.Range(0, 50), a.Order());
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Example_losses_are_each_examples_share_of_the_batch_loss()
    {
        using var task = (SequenceClassificationTask)TaskBuilder.Create("sequence-classification", TaskTestKit.Bert,
            new TaskData(TaskTestKit.KeywordSentiment(12, 1)), new TaskOptions { MaxLength = 32, Labels = ["neg", "pos"] });
        var losses = ExampleDifficulty.Losses(task, CPU);
        Assert.True(task.Module.training); // left in the mode it was in
        task.Module.eval();
        using var _ = no_grad();
        using var batch = task.Collate(Split.Train, Enumerable.Range(0, 12).ToArray(), CPU);
        Assert.Equal(task.Loss(batch).item<float>(), losses.Average(), 4);
        Assert.True(losses.Distinct().Count() > 1);
    }

    string Recipe(string curriculum, string extraTraining = "")
    {
        var path = FrozenFeaturesTests.WriteRecipe(root, TaskTestKit.Bert, "full");
        var text = File.ReadAllText(path).Replace("learning_rate: 1.0e-3", "learning_rate: 1.0e-3" + extraTraining);
        File.WriteAllText(path, text + "\ncurriculum: " + curriculum + "\n");
        return path;
    }

    [Fact]
    public void A_recipe_with_a_curriculum_trains_from_the_shortest_examples_first()
    {
        var recipe = RecipeLoader.Load(Recipe("{difficulty: length, pacing: baby_steps, buckets: 3, pacing_ratio: 0.9}"), []);
        using var task = RecipeTask.Build(recipe, "cpu");
        var order = CurriculumRecipe.Order(recipe, CurriculumRecipe.Options(recipe), task, recipe.Training(), CPU)!;
        var lengths = task.TrainLengths;
        var sorted = lengths.Order().ToList();
        // The first batch holds only examples from the shortest third.
        Assert.All(order.Batches(0)[0], i => Assert.True(lengths[i] <= sorted[19]));

        var outcome = RecipeRunner.Run(recipe);
        Assert.Equal(8, outcome.Result.Steps); // 60 examples, batches of 8, one epoch: as many steps as without a curriculum
    }

    [Fact]
    public void Difficulty_from_a_field_ranks_by_that_number()
    {
        var path = Recipe("{difficulty: field, field: rank, order: hard_first}");
        var train = Path.Combine(root, "train.jsonl");
        var lines = File.ReadAllLines(train);
        File.WriteAllLines(train, lines.Select((l, i) => l.TrimEnd('}') + $", \"rank\": {i}}}"));
        var recipe = RecipeLoader.Load(path, []);
        using var task = RecipeTask.Build(recipe, "cpu");
        var order = CurriculumRecipe.Order(recipe, CurriculumRecipe.Options(recipe), task, recipe.Training(), CPU)!;
        Assert.Equal(Enumerable.Range(0, 60).Reverse(), order.Ranked);
    }

    [Theory]
    [InlineData("{difficulty: field}", "curriculum.field")]
    [InlineData("{difficulty: length, field: rank}", "curriculum.field")]
    [InlineData("{difficulty: length, reference_model: x}", "curriculum.reference_model")]
    [InlineData("{pacing: competence, buckets: 4}", "curriculum.buckets")]
    [InlineData("{pacing: baby_steps, initial_competence: 0.2}", "curriculum.initial_competence")]
    [InlineData("{pacing_ratio: 0}", "curriculum.pacing_ratio")]
    [InlineData("{pacing: fast}", "curriculum.pacing")]
    [InlineData("{difficulty: loss}", "curriculum.difficulty")] // the classifier's head is new: its loss ranks nothing
    [InlineData("{difficulty: loss, reference_model: missing-folder}", "curriculum.reference_model")]
    public void A_contradictory_or_bad_curriculum_key_is_one_error_naming_it(string curriculum, string key)
    {
        var recipe = RecipeLoader.Load(Recipe(curriculum), []);
        using var task = RecipeTask.Build(recipe, "cpu");
        var e = Assert.Throws<UserError>(() => CurriculumRecipe.Order(recipe, CurriculumRecipe.Options(recipe), task, recipe.Training(), CPU));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_curriculum_with_frozen_features_is_an_error_before_the_model_loads()
    {
        var path = Recipe("{difficulty: length}");
        File.WriteAllText(path, File.ReadAllText(path).Replace("type: full", "type: frozen-features"));
        var e = Assert.Throws<UserError>(() => RecipeRunner.Run(RecipeLoader.Load(path, [])));
        Assert.Contains("'curriculum'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_curriculum_with_group_by_length_is_an_error()
    {
        var recipe = RecipeLoader.Load(Recipe("{difficulty: length}", ", group_by_length: true"), []);
        var e = Assert.Throws<UserError>(() => CurriculumRecipe.Options(recipe));
        Assert.Contains("training.group_by_length", e.Message, StringComparison.Ordinal);
    }
}
