using TorchSharp;
using TuneSharp.Inference;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Tasks;

public sealed class MultiTaskTaskTests : IDisposable
{
    readonly string dir = TaskTestKit.TempDir();

    public void Dispose() => Directory.Delete(dir, true);

    static MultiTaskTask Build(bool uncertainty = false, double sentimentWeight = 1) => new(TaskTestKit.Bert,
    [
        new SubTaskSpec("sentiment", "sequence-classification", new TaskData(TaskTestKit.KeywordSentiment(24, 1), TaskTestKit.KeywordSentiment(6, 2)),
            new TaskOptions { MaxLength = 32, Pooling = "mean" }, sentimentWeight),
        new SubTaskSpec("ner", "token-classification", new TaskData(TaskTestKit.WordListNer(10, 3), TaskTestKit.WordListNer(4, 4)), new TaskOptions { MaxLength = 32 }),
    ], uncertainty);

    [Fact]
    public void One_encoder_is_shared_by_every_head()
    {
        using var task = Build();
        var names = task.Module.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("heads.sentiment.weight", names);
        Assert.Contains("heads.ner.bias", names);
        Assert.Single(names, n => n == "bert.embeddings.word_embeddings.weight");
        Assert.DoesNotContain(names, n => n.StartsWith("bert.pooler", StringComparison.Ordinal)); // mean pooling builds no pooler
        Assert.Equal(34, task.Count(Split.Train));
        Assert.Equal(10, task.Count(Split.Validation));

        // A step on the sentiment task alone moves the encoder the NER head reads.
        task.Module.eval();
        using var nerBatch = task.Collate(Split.Train, [24, 25], CPU);
        Assert.Equal(1, nerBatch.TaskIndex);
        using var before = task.Tasks[1].Task.Loss(nerBatch).detach();
        using (var optimizer = optim.SGD(task.Module.parameters(), 0.5))
        using (var sentiment = task.Collate(Split.Train, [0, 1, 2, 3], CPU))
        {
            Assert.Equal(0, sentiment.TaskIndex);
            task.Loss(sentiment).backward();
            Assert.Null(task.Model.heads["ner"].weight!.grad);
            optimizer.step();
        }
        using var after = task.Tasks[1].Task.Loss(nerBatch).detach();
        Assert.NotEqual(before.item<float>(), after.item<float>());
    }

    /// <summary>AdamW over the proportional mixing's batches (one task per batch).</summary>
    static void Train(MultiTaskTask task, int epochs)
    {
        manual_seed(0);
        using var optimizer = optim.AdamW(task.Module.parameters(), 1e-3);
        var order = new TuneSharp.Training.MultiTaskMixing(task.TrainCounts, 4, seed: 1);
        task.Module.train();
        for (int e = 0; e < epochs; e++)
            foreach (var indices in order.Batches(e))
            {
                using var scope = NewDisposeScope();
                using var batch = task.Collate(Split.Train, indices, CPU);
                optimizer.zero_grad();
                task.Loss(batch).backward();
                optimizer.step();
            }
    }

    [Fact]
    public void A_batch_that_mixes_tasks_is_refused()
    {
        using var task = Build();
        Assert.Throws<InvalidOperationException>(() => task.Collate(Split.Train, [23, 24], CPU));
    }

    [Fact]
    public void Fixed_weighting_scales_the_tasks_loss_and_counts_examples_for_accumulation()
    {
        using var task = Build(sentimentWeight: 2.5);
        task.Module.eval();
        using var batch = task.Collate(Split.Train, [0, 1, 2], CPU);
        Assert.Equal(3, batch.LossTokens);
        using var own = task.Tasks[0].Task.Loss(batch);
        using var weighted = task.Loss(batch);
        Assert.Equal(2.5 * own.item<float>(), weighted.item<float>(), 5);
    }

    [Fact]
    public void Uncertainty_weighting_is_exp_minus_s_times_the_loss_plus_half_s()
    {
        using var s = tensor(new[] { 0f, MathF.Log(2) });
        var weighting = new MultiTaskLoss(s);
        using var loss = tensor(3f);
        Assert.Equal(3.0, weighting.Weigh(0, loss).item<float>(), 5);
        Assert.Equal(1.5 + 0.5 * Math.Log(2), weighting.Weigh(1, loss).item<float>(), 5);
        Assert.Equal([1.0, 0.5], weighting.Weights().Select(w => Math.Round(w, 5)));

        using var task = Build(uncertainty: true);
        Assert.Contains("loss_log_vars", task.Module.named_parameters().Select(p => p.name));
        Assert.Equal("uncertainty", task.Weighting.Mode);
    }

    [Fact]
    public void Evaluation_reports_each_tasks_metrics_by_name_and_a_combined_score()
    {
        using var task = Build();
        var r = task.Evaluate(Split.Validation, 4, CPU);
        Assert.Contains("sentiment/accuracy", r.Metrics.Keys);
        Assert.Contains("ner/f1", r.Metrics.Keys);
        Assert.Equal((r["sentiment/accuracy"] + r["ner/f1"]) / 2, r["score"], 12);
        Assert.Equal((r["sentiment/loss"] + r["ner/loss"]) / 2, r["loss"], 12);
        Assert.Equal(1.0, r["ner/loss_weight"]);
    }

    [Fact]
    public void Each_head_saves_with_the_model_and_reloads_by_name_with_identical_logits()
    {
        var modelDir = Path.Combine(dir, "model");
        float[] sentimentLogits, nerLogits;
        using (var task = Build())
        {
            Train(task, epochs: 1);
            task.Module.eval();
            using var s = task.Collate(Split.Validation, [0, 1], CPU);
            using var n = task.Collate(Split.Validation, [6, 7], CPU);
            using (no_grad())
            {
                sentimentLogits = task.Model.Logits("sentiment", s["input_ids"], s["attention_mask"]).data<float>().ToArray();
                nerLogits = task.Model.Logits("ner", n["input_ids"], n["attention_mask"]).data<float>().ToArray();
            }
            task.Save(modelDir);
            using var again = task.Collate(Split.Validation, [0, 1], CPU);
            using var loaded = ClassifierLoader.Load(modelDir, ClassifierLoader.SequenceTask, CPU, head: "sentiment");
            Assert.Equal(["neg", "pos"], loaded.Labels.Names);
            using (no_grad())
                Assert.Equal(sentimentLogits, loaded.Model.Logits(again["input_ids"], again["attention_mask"]).data<float>().ToArray());
            using var tokens = ClassifierLoader.Load(modelDir, ClassifierLoader.TokenTask, CPU, head: "ner");
            using (no_grad())
                Assert.Equal(nerLogits, tokens.Model.Logits(n["input_ids"], n["attention_mask"]).data<float>().ToArray());
        }
        var config = TuneSharp.Models.Pretrained.Config(modelDir);
        Assert.Equal(["sentiment", "ner"], MultiTaskHeadSpec.FromConfig(config)!.Select(h => h.Name));
    }

    [Fact]
    public void An_unknown_or_missing_head_is_one_error_line_listing_the_heads()
    {
        var modelDir = Path.Combine(dir, "model");
        using (var task = Build()) task.Save(modelDir);
        var e = Assert.Throws<UserError>(() => ClassifierLoader.Load(modelDir, ClassifierLoader.SequenceTask, CPU, head: "genre"));
        Assert.Equal($"--head: 'genre' is not a head of {modelDir} (heads: sentiment (sequence-classification), ner (token-classification))", e.Message);
        var missing = Assert.Throws<UserError>(() => ClassifierLoader.Load(modelDir, ClassifierLoader.SequenceTask, CPU));
        Assert.Contains("pick a head with --head NAME", missing.Message, StringComparison.Ordinal);
        var wrongTask = Assert.Throws<UserError>(() => ClassifierLoader.Load(modelDir, ClassifierLoader.SequenceTask, CPU, head: "ner"));
        Assert.Contains("'ner' is a token-classification head", wrongTask.Message, StringComparison.Ordinal);
        var single = Assert.Throws<UserError>(() => ClassifierLoader.Load(TaskTestKit.Bert, ClassifierLoader.SequenceTask, CPU, head: "ner"));
        Assert.Contains("not a multi-task model", single.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message + missing.Message + wrongTask.Message + single.Message);
    }

    [Fact]
    public void A_non_bert_model_or_a_repeated_head_name_is_a_user_error()
    {
        var data = new TaskData(TaskTestKit.KeywordSentiment(4, 1));
        var e = Assert.Throws<UserError>(() => new MultiTaskTask(TaskTestKit.Llama, [new SubTaskSpec("a", "sequence-classification", data, new TaskOptions())]));
        Assert.Contains("shares a BERT encoder", e.Message, StringComparison.Ordinal);
        var dup = Assert.Throws<UserError>(() => new MultiTaskTask(TaskTestKit.Bert,
            [new SubTaskSpec("a", "sequence-classification", data, new TaskOptions()), new SubTaskSpec("a", "sequence-classification", data, new TaskOptions())]));
        Assert.Equal("multi_task.tasks: the head name 'a' is used twice", dup.Message);
    }
}
