using TuneSharp.Inference;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Tests.Tasks;
using TuneSharp.Training.Distillation;

namespace TuneSharp.Tests.Training.Distillation;

/// <summary>DistilBERT-style student initialisation: copied layers equal the teacher's tensors exactly, and the folder loads.</summary>
// Builds modules, whose initialisation draws from torch's global generator: kept off tests that seed it.
[Collection(SequentialCollection.Name)]
public sealed class StudentInitTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-shrink-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    // Every student tensor equals the teacher tensor it was copied from; returns how many were compared.
    static int AssertCopied(string teacherDir, string studentDir, IReadOnlyList<int> layers)
    {
        using var teacher = SafetensorsFile.Open(Path.Combine(teacherDir, "model.safetensors"));
        using var student = SafetensorsFile.Open(Path.Combine(studentDir, "model.safetensors"));
        var expected = teacher.Tensors.Select(t => (Teacher: t.Name, Student: StudentInit.StudentKey(t.Name, layers))).Where(p => p.Student is not null).ToList();
        Assert.Equal(expected.Select(p => p.Student).Order(StringComparer.Ordinal), student.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var (from, to) in expected)
        {
            using var a = teacher.Read(from);
            using var b = student.Read(to!);
            Assert.Equal(a.shape, b.shape);
            Assert.True(a.eq(b).all().item<bool>(), $"{to} differs from {from}");
        }
        return expected.Count;
    }

    [Fact]
    public void Bert_student_layer_i_is_teacher_layer_layers_i_and_the_embeddings_and_head_are_kept()
    {
        var teacher = TaskTestKit.Bert;
        var student = Path.Combine(root, "student");
        StudentInit.Shrink(teacher, [1], student);
        int compared = AssertCopied(teacher, student, [1]);
        Assert.True(compared > 10);
        using (var file = SafetensorsFile.Open(Path.Combine(student, "model.safetensors")))
        {
            Assert.Contains(file.Tensors, t => t.Name == "bert.encoder.layer.0.attention.self.query.weight");
            Assert.DoesNotContain(file.Tensors, t => t.Name.StartsWith("bert.encoder.layer.1.", StringComparison.Ordinal));
            Assert.Contains(file.Tensors, t => t.Name == "classifier.weight");
        }
        var config = Pretrained.Config(student);
        Assert.Equal(1, config.Int("num_hidden_layers"));
        Assert.Equal("LABEL_2", config.Root["id2label"]!["2"]!.GetValue<string>()); // the label map travels with the head
        Assert.True(File.Exists(Path.Combine(student, "tokenizer.json")));

        // The folder loads as a classifier and classifies.
        using var loaded = ClassifierLoader.Load(student);
        Assert.Equal(3, loaded.Labels.Count);
        var probs = loaded.ClassifyTexts(["a short test", "another one"]);
        Assert.All(probs, p => Assert.Equal(1.0, p.Sum(), 4));
    }

    [Fact]
    public void Llama_and_gpt2_blocks_are_renumbered_the_same_way_and_load()
    {
        foreach (var (name, key) in new[] { ("tiny-llama", "num_hidden_layers"), ("tiny-gpt2", "n_layer") })
        {
            var teacher = Fixtures.HfTiny(name);
            var student = Path.Combine(root, name);
            StudentInit.Shrink(teacher, [1], student);
            AssertCopied(teacher, student, [1]);
            Assert.Equal(1, Pretrained.Config(student).Int(key));
            using var lm = Pretrained.LoadCausalLM(student);
        }
    }

    [Theory]
    [InlineData("bert.encoder.layer.4.output.dense.weight", "bert.encoder.layer.2.output.dense.weight")]
    [InlineData("model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.q_proj.weight")]
    [InlineData("transformer.h.2.mlp.c_fc.bias", "transformer.h.1.mlp.c_fc.bias")]
    [InlineData("h.4.ln_1.weight", "h.2.ln_1.weight")]
    [InlineData("bert.encoder.layer.3.output.dense.weight", null)]
    [InlineData("bert.embeddings.word_embeddings.weight", "bert.embeddings.word_embeddings.weight")]
    [InlineData("classifier.weight", "classifier.weight")]
    public void Keys_of_kept_blocks_are_renumbered_dropped_blocks_vanish_and_the_rest_is_unchanged(string teacher, string? student) =>
        Assert.Equal(student, StudentInit.StudentKey(teacher, [0, 2, 4]));

    [Fact]
    public void Every_other_layer_is_DistilBERTs_choice() =>
        Assert.Equal([0, 2, 4], StudentInit.EveryOther(6));

    [Theory]
    [InlineData(new[] { 2 }, "2 is not a teacher layer (0..1)")]
    [InlineData(new[] { 1, 0 }, "must increase")]
    [InlineData(new int[0], "at least one")]
    public void Impossible_layer_lists_are_one_clear_error(int[] layers, string message)
    {
        var e = Assert.Throws<UserError>(() => StudentInit.Shrink(TaskTestKit.Bert, layers, Path.Combine(root, "bad")));
        Assert.Contains(message, e.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "bad")));
    }
}
