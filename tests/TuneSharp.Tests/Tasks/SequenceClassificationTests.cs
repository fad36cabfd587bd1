using System.Text.Json.Nodes;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static TuneSharp.Tests.Tasks.TaskTestKit;

namespace TuneSharp.Tests.Tasks;

public class SequenceClassificationTests(ITestOutputHelper output)
{
    [Fact]
    public void Collate_gives_padded_ids_mask_and_class_indices()
    {
        var data = new TaskData(Records("""{"text":"a good film","label":"pos"}""", """{"text":"bad","label":"neg"}"""));
        using var task = (SequenceClassificationTask)TaskBuilder.Create("sequence-classification", Llama, data);
        Assert.Equal(["neg", "pos"], task.Labels.Names);
        using var batch = task.Collate(Split.Train, [0, 1], CPU);
        var ids = batch["input_ids"];
        Assert.Equal(2, ids.shape[0]);
        Assert.Equal(task.Examples(Split.Train)[0].Ids.Length, ids.shape[1]);
        Assert.Equal(new long[] { 1, 0 }, batch["labels"].data<long>().ToArray());
        int n1 = task.Examples(Split.Train)[1].Ids.Length;
        Assert.Equal(n1, batch["attention_mask"][1].sum().item<long>());
        Assert.Equal(3L, ids[1, -1].item<long>()); // right-padded with <|pad|>
        Assert.Equal(2, batch.LossTokens);
    }

    [Fact]
    public void Last_non_pad_token_is_found_with_left_and_right_padding()
    {
        using var right = tensor(new long[,] { { 5, 6, 7, 3, 3 }, { 5, 6, 7, 8, 9 } });
        using var left = tensor(new long[,] { { 3, 3, 5, 6, 7 }, { 3, 5, 6, 7, 8 } });
        Assert.Equal(new long[] { 2, 4 }, LastTokenPooling.Indices(right, 3).data<long>().ToArray());
        Assert.Equal(new long[] { 4, 4 }, LastTokenPooling.Indices(left, 3).data<long>().ToArray());

        // The same text scores the same whether its row is padded on the left or the right.
        var data = new TaskData(Records("""{"text":"short","label":"a"}""", """{"text":"a much longer text here","label":"b"}"""));
        using var task = (SequenceClassificationTask)TaskBuilder.Create("sequence-classification", Llama, data);
        task.Module.eval();
        var ids = task.Examples(Split.Train)[0].Ids.Select(i => (long)i).ToArray();
        using var _ = no_grad();
        using var alone = task.Model.Logits(tensor(ids).unsqueeze(0), ones(1, ids.Length, dtype: ScalarType.Int64));
        var padded = new long[] { 3, 3, 3 }.Concat(ids).ToArray();
        using var leftPadded = task.Model.Logits(tensor(padded).unsqueeze(0), tensor(new long[] { 0, 0, 0 }.Concat(ids.Select(_ => 1L)).ToArray()).unsqueeze(0));
        var rp = ids.Concat(new long[] { 3, 3, 3 }).ToArray();
        using var rightPadded = task.Model.Logits(tensor(rp).unsqueeze(0), tensor(ids.Select(_ => 1L).Concat(new long[] { 0, 0, 0 }).ToArray()).unsqueeze(0));
        Assert.True(alone.allclose(rightPadded, rtol: 1e-4, atol: 1e-5));
        Assert.True(alone.allclose(leftPadded, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Bert_learns_keyword_sentiment_to_high_accuracy()
    {
        var data = new TaskData(KeywordSentiment(160, seed: 1), KeywordSentiment(60, seed: 2));
        manual_seed(0);
        using var task = TaskBuilder.Create("sequence-classification", Bert, data, new TaskOptions { MaxLength = 32 });
        var before = task.Evaluate(Split.Validation, 32, CPU);
        var losses = Train(task, steps: 60, batchSize: 16, lr: 1e-3);
        var after = task.Evaluate(Split.Validation, 32, CPU);
        output.WriteLine($"loss curve: {string.Join(" ", losses.Where((_, i) => i % 5 == 0).Select(l => l.ToString("F3")))}");
        output.WriteLine($"accuracy {before["accuracy"]:F3} → {after["accuracy"]:F3}, eval loss {before["loss"]:F3} → {after["loss"]:F3}\n{after.ReportMarkdown}");
        var (first, last) = Ends(losses);
        Assert.True(last < first * 0.5, $"loss {first} → {last}");
        Assert.True(after["accuracy"] >= 0.9, $"accuracy {after["accuracy"]}");
        Assert.True(after["macro_f1"] >= 0.9);
        Assert.Contains("Confusion matrix", after.ReportMarkdown);
    }

    [Fact]
    public void Llama_classifier_loss_falls_with_class_weights_and_label_smoothing()
    {
        var data = new TaskData(KeywordSentiment(64, seed: 3), KeywordSentiment(32, seed: 4));
        var options = new TaskOptions { MaxLength = 32, ClassWeights = [1.0, 2.0], LabelSmoothing = 0.1 };
        using var task = TaskBuilder.Create("sequence-classification", Llama, data, options);
        var losses = Train(task, steps: 25, batchSize: 8, lr: 2e-3);
        output.WriteLine($"loss curve: {string.Join(" ", losses.Where((_, i) => i % 5 == 0).Select(l => l.ToString("F3")))}");
        var (first, last) = Ends(losses);
        Assert.True(last < first, $"loss {first} → {last}");
        var eval = task.Evaluate(Split.Validation, 16, CPU);
        Assert.Contains("label_smoothing:0.1", eval.Settings);
        output.WriteLine($"llama accuracy {eval["accuracy"]:F3}");
    }

    [Fact]
    public void Multi_label_uses_bce_and_reports_subset_accuracy()
    {
        var data = new TaskData(
            Records("""{"text":"red and blue","label":["red","blue"]}""", """{"text":"blue","label":["blue"]}""", """{"text":"nothing","label":[]}"""),
            Records("""{"text":"red","label":["red"]}"""));
        using var task = (SequenceClassificationTask)TaskBuilder.Create("sequence-classification", Gpt2, data, new TaskOptions { MultiLabel = true });
        Assert.Equal(["blue", "red"], task.Labels.Names);
        using var batch = task.Collate(Split.Train, [0, 1, 2], CPU);
        Assert.Equal(new float[] { 1, 1, 1, 0, 0, 0 }, batch["labels"].data<float>().ToArray());
        using var loss = task.Loss(batch);
        Assert.True(loss.item<float>() > 0);
        var eval = task.Evaluate(Split.Validation, 4, CPU);
        Assert.InRange(eval["subset_accuracy"], 0, 1);
        Assert.True(eval.Metrics.ContainsKey("micro_f1") && eval.Metrics.ContainsKey("macro_f1"));
    }

    [Fact]
    public void Save_writes_label_config_and_loads_back_with_identical_logits()
    {
        var data = new TaskData(KeywordSentiment(16, seed: 5));
        var dir = TempDir();
        try
        {
            float[] expected;
            long[] ids;
            using (var task = (SequenceClassificationTask)TaskBuilder.Create("sequence-classification", Llama, data))
            {
                Train(task, steps: 3, batchSize: 8, lr: 1e-3);
                task.Module.eval();
                using var batch = task.Collate(Split.Train, [0, 1, 2, 3], CPU);
                ids = batch["input_ids"].data<long>().ToArray();
                using var _ = no_grad();
                expected = task.Model.Logits(batch["input_ids"], batch["attention_mask"]).data<float>().ToArray();
                task.Save(dir);
            }
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
            Assert.Equal("LlamaForSequenceClassification", config["architectures"]![0]!.GetValue<string>());
            Assert.Equal("neg", config["id2label"]!["0"]!.GetValue<string>());
            Assert.Equal(1, config["label2id"]!["pos"]!.GetValue<int>());
            Assert.Equal(2, config["num_labels"]!.GetValue<int>());
            Assert.Equal("single_label_classification", config["problem_type"]!.GetValue<string>());
            using (var ckpt = TuneSharp.IO.Checkpoint.Open(dir))
            {
                Assert.Contains("score.weight", ckpt.Keys);
                Assert.DoesNotContain("lm_head.weight", ckpt.Keys);
                Assert.Contains("model.embed_tokens.weight", ckpt.Keys);
            }
            Assert.True(File.Exists(Path.Combine(dir, "tokenizer.json")));

            using var again = (SequenceClassificationTask)TaskBuilder.Create("sequence-classification", dir, data);
            Assert.True(again.HeadLoaded);
            again.Module.eval();
            using var batch2 = again.Collate(Split.Train, [0, 1, 2, 3], CPU);
            Assert.Equal(ids, batch2["input_ids"].data<long>().ToArray());
            using var __ = no_grad();
            Assert.Equal(expected, again.Model.Logits(batch2["input_ids"], batch2["attention_mask"]).data<float>().ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Bad_labels_are_user_errors_naming_file_line_and_field()
    {
        var data = new TaskData(Records("""{"text":"x","label":"a"}"""), Records("""{"text":"y","label":"a"}""", """{"text":"z","label":"zzz"}"""));
        var e = Assert.Throws<UserError>(() => TaskBuilder.Create("sequence-classification", Llama, data));
        Assert.Contains("test.jsonl:2: field 'label'", e.Message);
        Assert.Contains("unknown label 'zzz'", e.Message);

        var missing = new TaskData(Records("""{"text":"x","label":"a"}""", """{"text":"y"}"""));
        Assert.Contains("test.jsonl:2: field 'label': is missing", Assert.Throws<UserError>(() => TaskBuilder.Create("sequence-classification", Llama, missing)).Message);
        Assert.Contains("no records", Assert.Throws<UserError>(() => TaskBuilder.Create("sequence-classification", Llama, new TaskData([]))).Message);
        var badIndex = new TaskData(Records("""{"text":"x","label":5}"""));
        Assert.Contains("out of range", Assert.Throws<UserError>(() =>
            TaskBuilder.Create("sequence-classification", Llama, badIndex, new TaskOptions { Labels = ["a", "b"] })).Message);
    }
}
