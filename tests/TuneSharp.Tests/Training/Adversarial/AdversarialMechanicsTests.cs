using TorchSharp;
using TuneSharp.Inference;
using TuneSharp.Models.Bert;
using TuneSharp.Tasks;
using TuneSharp.Tests.Tasks;
using TuneSharp.Training.Adversarial;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Training.Adversarial;

/// <summary>
/// The mechanics of adversarial fine-tuning on the tiny BERT fixture: FGM's delta has the requested norm, PGD stays in
/// the ball and raises the loss, FreeLB's K steps accumulate K gradients, SMART's symmetric KL and the mean teacher.
/// The model is in eval mode where gradients are compared, so dropout does not differ between passes.
/// </summary>
[Collection(SequentialCollection.Name)]
public sealed class AdversarialMechanicsTests
{
    static SequenceClassificationTask Task() =>
        (SequenceClassificationTask)TaskBuilder.Create("sequence-classification", TaskTestKit.Bert,
            new TaskData(TaskTestKit.KeywordSentiment(8, 1)), new TaskOptions { MaxLength = 32, Labels = ["neg", "pos"] });

    static PerturbedLoss Loss(ITask task) => new(task, InputEmbeddings.Find(task.Module)!);

    static Dictionary<string, Tensor> Grads(ITask task) => task.Module.named_parameters()
        .Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone());

    static void ZeroGrads(ITask task) { foreach (var p in task.Module.parameters()) p.grad?.zero_(); }

    // (2, 5, 8) gradient; row 1 has two padding positions.
    static (Tensor Grad, Tensor Mask) GradAndMask()
    {
        manual_seed(1);
        var mask = tensor(new float[] { 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 }, [2, 5, 1]);
        return (randn(2, 5, 8), mask);
    }

    [Fact]
    public void Fgm_delta_has_norm_epsilon_per_example_under_l2_and_every_real_entry_at_epsilon_under_linf()
    {
        var (grad, mask) = GradAndMask();
        var l2 = FgmObjective.Perturbation(grad, mask, 0.7, "l2");
        Assert.All(DeltaBall.RowNorm(l2).flatten().data<float>().ToArray(), n => Assert.Equal(0.7f, n, 5));
        Assert.Equal(0f, l2[1, 3..].abs().max().item<float>()); // padding never moves
        // The direction is the gradient's.
        var cos = nn.functional.cosine_similarity(l2[0].flatten(), grad[0].flatten(), 0).item<float>();
        Assert.Equal(1f, cos, 5);

        var linf = FgmObjective.Perturbation(grad, mask, 0.3, "linf");
        var real = linf[0].abs();
        Assert.Equal(0.3f, real.min().item<float>(), 6);
        Assert.Equal(0.3f, linf.abs().max().item<float>(), 6);
        Assert.True(linf.sign().eq(grad.sign() * mask).all().item<bool>());
    }

    [Fact]
    public void Projection_pulls_a_delta_back_onto_the_ball_and_leaves_one_inside_alone()
    {
        var (grad, _) = GradAndMask();
        var big = grad * 10;
        Assert.All(DeltaBall.RowNorm(DeltaBall.Project(big, 0.5, "l2")).flatten().data<float>().ToArray(), n => Assert.Equal(0.5f, n, 5));
        var small = grad * 1e-3;
        Assert.True(DeltaBall.Project(small, 0.5, "l2").allclose(small));
        Assert.Equal(0.5f, DeltaBall.Project(big, 0.5, "linf").abs().max().item<float>());
    }

    [Theory]
    [InlineData("l2", "uniform")]
    [InlineData("l2", "zero")]
    [InlineData("linf", "uniform")]
    public void Pgd_stays_in_the_ball_and_its_delta_raises_the_loss(string norm, string init)
    {
        using var task = Task();
        task.Module.eval();
        var loss = Loss(task);
        using var batch = task.Collate(Split.Train, [0, 1, 2, 3, 4, 5, 6, 7], CPU);
        var o = new AdversarialOptions { Method = "pgd", Epsilon = 0.5, StepSize = 0.3, Steps = 3, Norm = norm, Init = init };
        var mask = loss.Mask(batch);
        manual_seed(2);
        var delta = new PgdObjective(loss, o).Attack(batch, mask, DeltaBall.Start(loss.Shape(batch), mask, o, CPU));
        // Inside the ball (steps that turn back may end short of its surface), and moved.
        if (norm == "l2") Assert.All(DeltaBall.RowNorm(delta).flatten().data<float>().ToArray(), n => Assert.InRange(n, 0.1f, 0.5f + 1e-5f));
        else Assert.InRange(delta.abs().max().item<float>(), 0.1f, 0.5f + 1e-6f);
        Assert.Equal(0f, (delta * (1 - mask)).abs().max().item<float>());
        using var _ = no_grad();
        var clean = task.Loss(batch).item<float>();
        Assert.True(loss.At(batch, delta).item<float>() > clean, "the ascent found no worse input");
    }

    [Fact]
    public void Freelb_accumulates_the_mean_of_the_K_steps_gradients()
    {
        using var task = Task();
        task.Module.eval();
        var loss = Loss(task);
        using var batch = task.Collate(Split.Train, [0, 1, 2, 3, 4, 5], CPU);
        var o = new AdversarialOptions { Method = "freelb", Epsilon = 1.0, StepSize = 0.4, Steps = 3, Init = "uniform" };

        ZeroGrads(task);
        manual_seed(7);
        double value = new FreeLbObjective(loss, o).Backward(batch, weight: 0.5);
        var accumulated = Grads(task);

        // By hand: the same start, each step's gradient on its own, then the ascent.
        var mask = loss.Mask(batch);
        manual_seed(7);
        var delta = DeltaBall.Start(loss.Shape(batch), mask, o, CPU);
        var perStep = new List<Dictionary<string, Tensor>>();
        double sum = 0;
        for (int k = 0; k < 3; k++)
        {
            ZeroGrads(task);
            var d = delta.detach().requires_grad_(true);
            var l = loss.At(batch, d);
            l.backward();
            sum += l.item<float>();
            perStep.Add(Grads(task));
            delta = DeltaBall.Project(d.detach() + DeltaBall.Direction(d.grad!, mask, "l2") * 0.4, 1.0, "l2") * mask;
        }
        Assert.Equal(0.5 * sum / 3, value, 5);
        foreach (var (name, g) in accumulated)
        {
            var expected = (perStep[0][name] + perStep[1][name] + perStep[2][name]) * (0.5 / 3);
            Assert.True(g.allclose(expected, rtol: 1e-4, atol: 1e-7), $"{name}: accumulated gradient differs from the mean of the 3 steps");
        }
        // Not one step's gradient three times: the steps saw different inputs.
        var w = "classifier.weight";
        Assert.False(perStep[0][w].allclose(perStep[2][w], rtol: 1e-4, atol: 1e-7));
    }

    [Fact]
    public void Symmetric_kl_is_symmetric_zero_on_equal_logits_and_matches_a_hand_computation()
    {
        var p = tensor(new float[] { 1f, 2f, 0.5f, -1f, 0f, 3f }, [2, 3]);
        var q = tensor(new float[] { 0.2f, 2.5f, 0f, 1f, 1f, 1f }, [2, 3]);
        Assert.Equal(SymmetricKl.Of(p, q).item<float>(), SymmetricKl.Of(q, p).item<float>());
        Assert.Equal(0f, SymmetricKl.Of(p, p.clone()).item<float>());

        double expected = 0;
        var pa = p.data<float>().ToArray(); var qa = q.data<float>().ToArray();
        for (int b = 0; b < 2; b++)
        {
            double[] P = Softmax(pa.AsSpan(3 * b, 3)), Q = Softmax(qa.AsSpan(3 * b, 3));
            for (int c = 0; c < 3; c++) expected += P[c] * Math.Log(P[c] / Q[c]) + Q[c] * Math.Log(Q[c] / P[c]);
        }
        Assert.Equal(expected / 2, SymmetricKl.Of(p, q).item<float>(), 5);
    }

    static double[] Softmax(ReadOnlySpan<float> x)
    {
        double max = double.MinValue;
        foreach (var v in x) max = Math.Max(max, v);
        var e = new double[x.Length];
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += e[i] = Math.Exp(x[i] - max);
        return e.Select(v => v / s).ToArray();
    }

    [Fact]
    public void The_bregman_term_is_zero_when_the_teacher_equals_the_model_and_the_teacher_moves_by_beta()
    {
        using var task = Task();
        task.Module.train();
        using var batch = task.Collate(Split.Train, [0, 1, 2, 3], CPU);
        using var teacher = new MeanTeacher(task.Module, beta: 0.75);
        var before = task.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var teacherLogits = teacher.Predict(() => task.Logits(batch));
        Assert.True(task.Module.training); // mode restored
        task.Module.eval();
        using (no_grad()) Assert.Equal(0f, SymmetricKl.Of(task.Logits(batch), teacherLogits).item<float>());
        // θ is back exactly after the swap.
        foreach (var (name, p) in task.Module.named_parameters()) Assert.True(p.eq(before[name]).all().item<bool>(), name);

        // θ moves by +1 everywhere: θ̃ = 0.75 θ₀ + 0.25 (θ₀ + 1) = θ₀ + 0.25.
        using (no_grad()) foreach (var p in task.Module.parameters()) p.add_(1.0);
        teacher.Update();
        using (no_grad()) foreach (var p in task.Module.parameters()) p.sub_(1.0); // back to θ₀ so only θ̃ differs
        var shifted = task.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach() + 0.25);
        using (no_grad()) foreach (var (name, p) in task.Module.named_parameters()) p.copy_(shifted[name]);
        var atShifted = task.Logits(batch).detach();
        using (no_grad()) foreach (var (name, p) in task.Module.named_parameters()) p.copy_(before[name]);
        Assert.True(teacher.Predict(() => task.Logits(batch)).allclose(atShifted, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Smart_with_both_weights_zero_is_the_plain_loss_and_with_them_adds_its_terms()
    {
        using var task = Task();
        task.Module.eval();
        using var batch = task.Collate(Split.Train, [0, 1, 2, 3, 4, 5], CPU);
        ZeroGrads(task);
        var plain = task.Loss(batch);
        plain.backward();
        var plainGrads = Grads(task);

        ZeroGrads(task);
        var off = new SmartObjective(Loss(task), task, new AdversarialOptions { Method = "smart", LambdaS = 0, Mu = 0, Init = "normal", StepSize = 0.3, Epsilon = 1 });
        Assert.Equal(plain.item<float>(), off.Backward(batch, 1.0), 5);
        foreach (var (name, g) in Grads(task)) Assert.True(g.allclose(plainGrads[name], rtol: 1e-4, atol: 1e-7), name);

        ZeroGrads(task);
        manual_seed(3);
        using var on = new SmartObjective(Loss(task), task, new AdversarialOptions { Method = "smart", LambdaS = 1, Mu = 1, Init = "normal", StepSize = 0.5, Epsilon = 1, Steps = 2 });
        double value = on.Backward(batch, 1.0);
        Assert.True(value > plain.item<float>(), "the smoothness term adds a positive amount");
        Assert.True(double.IsFinite(value));
        Assert.False(Grads(task)["classifier.weight"].allclose(plainGrads["classifier.weight"], rtol: 1e-4, atol: 1e-7));
    }

    [Fact]
    public void The_perturbation_is_cleared_after_its_block_even_when_the_forward_throws()
    {
        using var task = Task();
        var embeddings = InputEmbeddings.Find(task.Module)!;
        var bert = task.Module.modules().OfType<BertEmbeddings>().Single();
        Assert.Throws<InvalidOperationException>((Action)(() =>
        {
            using (embeddings.Perturb(e => e)) { Assert.NotNull(bert.WordPerturbation); throw new InvalidOperationException(); }
        }));
        Assert.Null(bert.WordPerturbation);
    }

    [Fact]
    public void Embedding_noise_has_the_requested_norm_per_token_and_repeats_under_its_seed()
    {
        var noise = EmbeddingNoise.Noise([2, 3, 16], 0.8, new Generator(5));
        Assert.All(noise.norm(-1).flatten().data<float>().ToArray(), n => Assert.Equal(0.8f, n, 5));
        Assert.True(noise.eq(EmbeddingNoise.Noise([2, 3, 16], 0.8, new Generator(5))).all().item<bool>());

        using var task = Task();
        double Loss(double r)
        {
            using (r == 0 ? null : EmbeddingNoise.Apply(task.Module, r, seed: 9))
                return task.Evaluate(Split.Train, 4, CPU)["loss"];
        }
        double clean = Loss(0), noisy = Loss(2.0);
        Assert.NotEqual(clean, noisy);
        Assert.Equal(noisy, Loss(2.0));
        Assert.Equal(clean, Loss(0));
    }
}
