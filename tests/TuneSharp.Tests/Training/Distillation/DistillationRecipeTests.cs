using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Recipes;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tests.Training;
using TuneSharp.Training.Distillation;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training.Distillation;

/// <summary>A tiny BERT teacher fine-tuned on keyword sentiment, and its 1-layer student (teacher layer 1), shared by the tests.</summary>
public sealed class TinyTeacher : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("tunesharp-kd-").FullName;
    public string TeacherDir { get; }
    public string StudentDir { get; }

    public TinyTeacher()
    {
        var outcome = RecipeRunner.Run(RecipeLoader.Load(FrozenFeaturesTests.WriteRecipe(Root, TaskTestKit.Bert, "full"), ["output_dir=teacher"]));
        TeacherDir = outcome.ModelDir;
        StudentDir = Path.Combine(Root, "student");
        StudentInit.Shrink(TeacherDir, [1], StudentDir);
    }

    public void Dispose() => Directory.Delete(Root, true);
}

/// <summary>The distillation: recipe section: the loss the wrapped task computes, a run that saves the student alone, and bad values.</summary>
[Collection(SequentialCollection.Name)]
public sealed class DistillationRecipeTests(TinyTeacher kd) : IClassFixture<TinyTeacher>
{
    string Recipe(string distillation, string model = "student")
    {
        var path = Path.Combine(kd.Root, "recipe.yaml");
        var text = File.ReadAllText(path).Split('\n').Where(l => !l.StartsWith("distillation:", StringComparison.Ordinal)).ToList();
        var student = Path.Combine(kd.Root, $"student-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(student, string.Join('\n', text).Replace($"model: {TaskTestKit.Bert}", $"model: {model}") + "\ndistillation: " + distillation + "\n");
        return student;
    }

    DistillationTask Build(string distillation)
    {
        var recipe = RecipeLoader.Load(Recipe(distillation), ["output_dir=unused"]);
        return (DistillationTask)DistillationRecipe.Wrap(recipe, DistillationRecipe.Options(recipe), RecipeTask.Build(recipe, "cpu"), "cpu");
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 2.0)]
    [InlineData(0.3, 3.0)]
    public void The_task_loss_is_the_alpha_mix_of_cross_entropy_and_the_T_squared_KL(double alpha, double temperature)
    {
        using var task = Build($"{{teacher: teacher/model, alpha: {alpha}, temperature: {temperature}}}");
        task.Module.eval(); // no dropout: the two computations must see the same forward
        using var batch = task.Collate(Split.Train, [0, 1, 2, 3, 4, 5, 6, 7], CPU);
        float actual = task.Loss(batch).item<float>();
        using var scope = NewDisposeScope();
        var s = task.Student.Logits(batch);
        var t = task.Teacher.Logits(batch);
        double ce = nn.functional.cross_entropy(s, batch["labels"]).item<float>();
        double kl = KdLoss.SoftTargets(s, t, temperature).item<float>();
        Assert.Equal((1 - alpha) * ce + alpha * kl, actual, 5);
        Assert.True(kl > 0); // the 1-layer student does not already agree with its teacher
        Assert.All(task.Teacher.Module.parameters(), p => Assert.False(p.requires_grad));
        Assert.False(task.Teacher.Module.training);
    }

    [Fact]
    public void With_a_hidden_term_the_loss_adds_its_weight_times_the_layer_MSE()
    {
        using var plain = Build("{teacher: teacher/model, alpha: 0.5}");
        using var hidden = Build("{teacher: teacher/model, alpha: 0.5, hidden_mse: 2.0, layer_map: [1]}");
        plain.Module.eval();
        hidden.Module.eval();
        using var batch = plain.Collate(Split.Train, [0, 1, 2, 3], CPU);
        // The student (teacher layer 1 copied) next to teacher layer 1: its output differs only through the missing layer 0 below it.
        var s = ((TuneSharp.Models.Heads.BertSequenceClassifier)hidden.Student.Model).Model;
        var t = ((TuneSharp.Models.Heads.BertSequenceClassifier)hidden.Teacher.Model).Model;
        using var scope = NewDisposeScope();
        var hs = s.bert.AllHiddenStates(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]);
        var ht = t.bert.AllHiddenStates(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"]);
        var mask = batch["attention_mask"].to_type(ScalarType.Float32).unsqueeze(-1);
        double mse = (((hs[1] - ht[2]).pow(2) * mask).sum() / (mask.sum() * 64)).item<float>();
        Assert.Equal(plain.Loss(batch).item<float>() + 2.0 * mse, hidden.Loss(batch).item<float>(), 4);
        Assert.Same(hidden.Student.Module, hidden.Module); // equal widths: no projection to train
    }

    [Fact]
    public void A_run_trains_the_student_and_saves_it_alone()
    {
        var outcome = RecipeRunner.Run(RecipeLoader.Load(Recipe("{teacher: teacher/model, temperature: 2, alpha: 0.5, hidden_mse: 1}"), ["output_dir=kd-run"]));
        Assert.True(outcome.Result.Steps > 0);
        Assert.Equal(1, Pretrained.Config(outcome.ModelDir).Int("num_hidden_layers"));
        using var saved = SafetensorsFile.Open(Path.Combine(outcome.ModelDir, "model.safetensors"));
        using var student = SafetensorsFile.Open(Path.Combine(kd.StudentDir, "model.safetensors"));
        Assert.Equal(student.Tensors.Select(x => x.Name).Order(StringComparer.Ordinal), saved.Tensors.Select(x => x.Name).Order(StringComparer.Ordinal));
        Assert.Contains("knowledge distillation", File.ReadAllText(Path.Combine(outcome.RunDir, "report.md")));
    }

    [Theory]
    [InlineData("{teacher: teacher/model, alpha: 1.5}", "distillation.alpha': must be in [0, 1]")]
    [InlineData("{teacher: teacher/model, temperature: 0}", "distillation.temperature': must be positive")]
    [InlineData("{teacher: teacher/model, hidden_mse: -1}", "distillation.hidden_mse': must be >= 0")]
    [InlineData("{teacher: teacher/model, layer_map: [1]}", "distillation.layer_map': only read with hidden_mse > 0")]
    [InlineData("{alpha: 0.5}", "distillation.teacher': required")]
    [InlineData("{teacher: nowhere}", "distillation.teacher'")]
    public void Bad_values_are_one_error_naming_the_key(string section, string message)
    {
        var e = Assert.Throws<UserError>(() => DistillationRecipe.Options(RecipeLoader.Load(Recipe(section), [])));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Unknown_keys_are_refused_by_the_schema() =>
        Assert.Contains("unknown key 'distillation.temprature'",
            Assert.Throws<UserError>(() => RecipeLoader.Load(Recipe("{teacher: teacher/model, temprature: 2}"), [])).Message);

    [Fact]
    public void A_teacher_without_a_head_for_the_students_labels_is_refused()
    {
        // The untrained fixture classifies LABEL_0..2, not neg/pos.
        var e = Assert.Throws<UserError>(() => Build($"{{teacher: {TaskTestKit.Bert}}}"));
        Assert.Contains("distillation.teacher'", e.Message);
    }

    [Fact]
    public void A_layer_map_of_the_wrong_length_is_refused()
    {
        var e = Assert.Throws<UserError>(() => Build("{teacher: teacher/model, hidden_mse: 1, layer_map: [0, 1]}"));
        Assert.Contains("distillation.layer_map': 2 entries for a student with 1 layer(s)", e.Message);
    }
}
