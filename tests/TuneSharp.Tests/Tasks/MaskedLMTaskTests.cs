using TuneSharp.IO;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using static TorchSharp.torch;
using static TuneSharp.Tests.Tasks.TaskTestKit;

namespace TuneSharp.Tests.Tasks;

/// <summary>task: masked-lm on the tiny BERT fixture (its byte-level tokenizer gets a [MASK] token added).</summary>
public class MaskedLMTaskTests
{
    static readonly TaskOptions Options = new() { MaxLength = 32, NewSpecialTokens = ["[MASK]"] };

    static TaskData Data => new(KeywordSentiment(120, seed: 1), KeywordSentiment(40, seed: 2));

    [Fact]
    public void Continued_pretraining_lowers_the_held_out_mlm_loss_and_evaluation_masks_are_fixed()
    {
        manual_seed(0);
        using var task = (MaskedLMTask)TaskBuilder.Create("masked-lm", Bert, Data, Options);
        Assert.False(task.HeadLoaded); // the fixture is a classifier: a fresh MLM head
        var before = task.Evaluate(Split.Validation, 16, CPU);
        Assert.Equal(before["loss"], task.Evaluate(Split.Validation, 7, CPU)["loss"], 4); // fixed masks, any batch size
        Train(task, steps: 40, batchSize: 16, lr: 2e-3);
        var after = task.Evaluate(Split.Validation, 16, CPU);
        Assert.True(after["loss"] < before["loss"] - 0.5, $"MLM loss {before["loss"]:F3} -> {after["loss"]:F3}");
        Assert.Equal(Math.Exp(after["loss"]), after["perplexity"], 6);
    }

    [Fact]
    public void Training_batches_mask_only_ordinary_tokens_and_count_the_masked_ones()
    {
        manual_seed(0);
        using var task = (MaskedLMTask)TaskBuilder.Create("masked-lm", Bert, Data, Options with { MlmProbability = 0.5 });
        using var batch = task.Collate(Split.Train, Enumerable.Range(0, 16).ToList(), CPU);
        var labels = batch["labels"];
        Assert.Equal(labels.ne(-100).sum().item<long>(), batch.LossTokens);
        Assert.True(labels.masked_select(batch["attention_mask"].eq(0)).eq(-100).all().item<bool>()); // padding never
        Assert.True(batch["input_ids"].eq(task.MaskTokenId).sum().item<long>() > 0);
    }

    [Fact]
    public void The_saved_folder_loads_into_a_sequence_classifier_with_the_same_encoder_and_back_with_its_head()
    {
        var dir = TempDir();
        try
        {
            manual_seed(0);
            var saved = Path.Combine(dir, "mlm");
            using (var task = (MaskedLMTask)TaskBuilder.Create("masked-lm", Bert, Data, Options))
            {
                Train(task, steps: 5, batchSize: 16, lr: 2e-3);
                task.Save(saved);
            }
            using (var file = SafetensorsFile.Open(Path.Combine(saved, "model.safetensors")))
            {
                var names = file.Tensors.Select(t => t.Name).ToList();
                Assert.Contains("cls.predictions.transform.dense.weight", names);
                Assert.Contains("cls.predictions.bias", names);
                Assert.DoesNotContain(names, n => n.Contains("decoder", StringComparison.Ordinal));
            }
            using (var again = (MaskedLMTask)TaskBuilder.Create("masked-lm", saved, Data, Options)) Assert.True(again.HeadLoaded);

            var labelled = new TaskData(KeywordSentiment(20, seed: 3));
            using var classifier = (SequenceClassificationTask)TaskBuilder.Create("sequence-classification", saved, labelled,
                new TaskOptions { MaxLength = 32, NewSpecialTokens = ["[MASK]"], Pooling = "mean" });
            var bert = ((BertSequenceClassifier)classifier.Model).Model;
            using var file2 = SafetensorsFile.Open(Path.Combine(saved, "model.safetensors"));
            int compared = 0;
            foreach (var (name, p) in bert.named_parameters().Where(p => p.name.StartsWith("bert.", StringComparison.Ordinal)))
            {
                using var stored = file2.Read(name);
                Assert.True(stored.SameAs(p), name);
                compared++;
            }
            Assert.True(compared > 20);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_decoder_or_a_tokenizer_without_a_mask_token_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => TaskBuilder.Create("masked-lm", Llama, Data, Options));
        Assert.Contains("causal-lm", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<UserError>(() => TaskBuilder.Create("masked-lm", Bert, Data, new TaskOptions { MaxLength = 32 }));
        Assert.Contains("new_special_tokens", e.Message, StringComparison.Ordinal);
    }
}
