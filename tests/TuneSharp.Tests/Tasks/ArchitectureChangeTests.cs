using System.Text.Json.Nodes;
using TuneSharp.Models.Heads;
using TuneSharp.Models.Llama;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;
using static TuneSharp.Tests.Tasks.TaskTestKit;

namespace TuneSharp.Tests.Tasks;

public class ArchitectureChangeTests
{
    [Fact]
    public void New_special_tokens_grow_embeddings_and_untied_lm_head_with_mean_rows_and_save_load_round_trips()
    {
        var data = new TaskData(Records("""{"prompt":"<|user|> hi","completion":" <|bot|> hello"}"""));
        var options = new TaskOptions { NewSpecialTokens = ["<|user|>", "<|bot|>"] };
        var dir = TempDir();
        try
        {
            float[] expected;
            long[] ids;
            using (var task = (CausalLMTask)TaskBuilder.Create("causal-lm-sft", Llama, data, options))
            {
                var llama = (LlamaForCausalLM)task.Model;
                Assert.Equal(514, llama.Info.VocabSize);
                Assert.Equal(512, task.Tokenizer.TokenToId("<|user|>"));
                Assert.Contains(512, task.Examples(Split.Train)[0].Ids);
                using var _ = no_grad();
                foreach (var w in new[] { llama.model.embed_tokens.weight!, ((TorchSharp.Modules.Linear)llama.lm_head!).weight! })
                {
                    Assert.Equal(new long[] { 514, 64 }, w.shape);
                    var mean = w.narrow(0, 0, 512).to_type(ScalarType.Float64).mean([0L]).to_type(ScalarType.Float32);
                    Assert.True(w[512].allclose(mean, atol: 1e-7) && w[513].allclose(mean, atol: 1e-7));
                }
                task.Module.eval();
                using var batch = task.Collate(Split.Train, [0], CPU);
                ids = batch["input_ids"].data<long>().ToArray();
                expected = task.Logits(batch).data<float>().ToArray();
                task.Save(dir);
            }
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
            Assert.Equal(514, config["vocab_size"]!.GetValue<int>());
            Assert.Equal(514, HfTokenizer.Load(dir).VocabSize);

            using var again = (CausalLMTask)TaskBuilder.Create("causal-lm-sft", dir, data, options);
            again.Module.eval();
            using var batch2 = again.Collate(Split.Train, [0], CPU);
            Assert.Equal(ids, batch2["input_ids"].data<long>().ToArray());
            using var __ = no_grad();
            Assert.Equal(expected, again.Logits(batch2).data<float>().ToArray());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Tied_gpt2_and_bert_resize_their_word_embeddings()
    {
        var options = new TaskOptions { NewSpecialTokens = ["<|sep|>"] };
        using (var gpt2 = (CausalLMTask)TaskBuilder.Create("causal-lm-sft", Gpt2, new TaskData(Records("""{"prompt":"a<|sep|>","completion":"b"}""")), options))
        {
            Assert.Equal(513, gpt2.Model.Info.VocabSize);
            using var batch = gpt2.Collate(Split.Train, [0], CPU);
            using var logits = gpt2.Logits(batch);
            Assert.Equal(513, logits.shape[2]); // the tied lm_head follows wte
        }
        using var bert = (SequenceClassificationTask)TaskBuilder.Create("sequence-classification", Bert,
            new TaskData(Records("""{"text":"x <|sep|> y","label":"a"}""", """{"text":"z","label":"b"}""")), options);
        var wte = ((BertSequenceClassifier)bert.Model).Model.bert.embeddings.word_embeddings.weight!;
        Assert.Equal(513, wte.shape[0]);
    }

    [Theory]
    [InlineData("sequence-classification", "tiny-llama", "score.weight")]
    [InlineData("sequence-classification", "tiny-gpt2", "score.weight")]
    [InlineData("sequence-classification", "tiny-bert-cls", "classifier.weight")]
    [InlineData("token-classification", "tiny-llama", "score.weight")]
    [InlineData("token-classification", "tiny-bert-cls", "classifier.weight")]
    public void New_heads_are_initialised_as_transformers_does(string taskName, string fixture, string key)
    {
        // 40 labels so the head has enough weights for a stable std estimate.
        var labels = Enumerable.Range(0, 40).Select(i => $"L{i}").ToList();
        var data = taskName == "token-classification"
            ? new TaskData(Records("""{"tokens":["a"],"tags":["L0"]}"""))
            : new TaskData(Records("""{"text":"a","label":"L0"}"""));
        manual_seed(1);
        using var task = TaskBuilder.Create(taskName, Fixtures.HfTiny(fixture), data, new TaskOptions { Labels = labels });
        var head = task.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var w = head[key];
        Assert.Equal(new long[] { 40, 64 }, w.shape);
        Assert.InRange(w.std().item<float>(), 0.018, 0.022);          // normal(0, initializer_range = 0.02)
        Assert.InRange(w.mean().item<float>(), -0.003, 0.003);
        var bias = key.Replace("weight", "bias", StringComparison.Ordinal);
        if (head.TryGetValue(bias, out var b)) Assert.Equal(0f, b.abs().max().item<float>());
        else Assert.StartsWith("score", key, StringComparison.Ordinal); // decoder sequence heads have no bias
    }

    [Fact]
    public void Unknown_task_is_a_user_error()
    {
        var e = Assert.Throws<UserError>(() => TaskBuilder.Create("summarise", Llama, new TaskData(Records("""{"text":"a"}"""))));
        Assert.Contains("'summarise' is not a task", e.Message);
    }
}
