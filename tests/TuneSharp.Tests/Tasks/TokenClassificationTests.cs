using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static TuneSharp.Tests.Tasks.TaskTestKit;

namespace TuneSharp.Tests.Tasks;

public class TokenClassificationTests(ITestOutputHelper output)
{
    [Fact]
    public void Words_that_split_into_several_tokens_label_only_their_first_sub_token()
    {
        var tokenizer = HfTokenizer.Load(Llama);
        string[] words = ["Fine-tuning", "adapts", "a", "pre-trained", "model"];
        var a = WordAlignment.Align(tokenizer, words, 128);
        // Every word gets tokens, in order, and tokens decode back to exactly their word (with its leading space).
        Assert.All(a.FirstToken, t => Assert.True(t >= 0));
        for (int w = 0; w < words.Length; w++)
        {
            var tokens = Enumerable.Range(0, a.Ids.Length).Where(t => a.WordOf[t] == w).Select(t => a.Ids[t]).ToList();
            int firstWithText = Enumerable.Range(0, a.Ids.Length).First(t => a.WordOf[t] == w && tokenizer.Decode([a.Ids[t]]).Trim().Length > 0);
            Assert.Equal(firstWithText, a.FirstToken[w]);
            Assert.Equal((w == 0 ? "" : " ") + words[w], tokenizer.Decode(tokens));
        }
        Assert.True(a.Ids.Length > words.Length, "some words must split into several tokens");

        // A capitalised word whose space cannot merge with its first letter starts with a bare "Ġ": the label
        // goes to the first token carrying the word's letters.
        var names = WordAlignment.Align(tokenizer, ["met", "Bob"], 128);
        int bob = names.FirstToken[1];
        Assert.Equal(1, names.WordOf[bob - 1]);
        Assert.Equal(" ", tokenizer.Decode([names.Ids[bob - 1]]));
        Assert.Equal(-100, names.Labels([0, 7])[bob - 1]);
        Assert.Equal(7, names.Labels([0, 7])[bob]);
        var labels = a.Labels([10, 11, 12, 13, 14]);
        for (int t = 0; t < labels.Length; t++)
        {
            int w = a.WordOf[t];
            Assert.Equal(a.FirstToken[w] == t ? 10 + w : -100, labels[t]);
        }
    }

    [Fact]
    public void Truncated_words_get_no_label_and_collate_masks_the_rest()
    {
        var data = new TaskData(Records("""{"tokens":["Alice","went","to","Berlin-Brandenburg"],"tags":["B-PER","O","O","B-LOC"]}""",
            """{"tokens":["Bob"],"tags":["B-PER"]}"""));
        using var task = (TokenClassificationTask)TaskBuilder.Create("token-classification", Llama, data, new TaskOptions { MaxLength = 4 });
        Assert.Equal(["B-LOC", "B-PER", "O"], task.Labels.Names);
        Assert.True(task.IsBio);
        var e = task.Examples(Split.Train)[0];
        Assert.Equal(4, e.Alignment.Ids.Length);
        Assert.Equal(-1, e.Alignment.FirstToken[3]); // "Berlin-Brandenburg" lost to truncation
        using var batch = task.Collate(Split.Train, [0, 1], CPU);
        var labels = batch["labels"].data<long>().ToArray();
        long T = batch["labels"].shape[1];
        Assert.Equal(batch.LossTokens, labels.Count(l => l >= 0));
        Assert.All(labels.Skip((int)T).Skip(task.Examples(Split.Train)[1].Alignment.Ids.Length), l => Assert.Equal(-100, l));
        Assert.Equal(1, labels[0]); // "Alice" → B-PER on its first token
    }

    [Fact]
    public void Bert_learns_word_list_ner_to_high_f1()
    {
        var data = new TaskData(WordListNer(160, seed: 1), WordListNer(50, seed: 2));
        manual_seed(0);
        using var task = TaskBuilder.Create("token-classification", Bert, data, new TaskOptions { MaxLength = 48 });
        var losses = Train(task, steps: 60, batchSize: 16, lr: 2e-3);
        var eval = task.Evaluate(Split.Validation, 32, CPU);
        output.WriteLine($"loss curve: {string.Join(" ", losses.Where((_, i) => i % 5 == 0).Select(l => l.ToString("F3")))}");
        output.WriteLine($"f1 {eval["f1"]:F3} strict_f1 {eval["strict_f1"]:F3} token_accuracy {eval["token_accuracy"]:F3} loss {eval["loss"]:F3}\n{eval.ReportMarkdown}\n{eval.Settings}");
        var (first, last) = Ends(losses);
        Assert.True(last < first * 0.5, $"loss {first} → {last}");
        Assert.True(eval["token_accuracy"] >= 0.9, $"token accuracy {eval["token_accuracy"]}");
        Assert.True(eval["f1"] >= 0.9, $"entity f1 {eval["f1"]}");
        Assert.Contains("mode:strict|scheme:IOB2", eval.Settings);
        var predicted = ((TokenClassificationTask)task).Predict(Split.Validation, 32, CPU);
        Assert.Equal(task.Count(Split.Validation), predicted.Count);
        Assert.Equal(((TokenClassificationTask)task).Examples(Split.Validation)[0].WordTags.Length, predicted[0].Count);
    }

    [Fact]
    public void Decoder_heads_use_transformers_keys_and_loss_falls()
    {
        var data = new TaskData(WordListNer(32, seed: 3));
        using (var llama = (TokenClassificationTask)TaskBuilder.Create("token-classification", Llama, data))
        {
            var keys = llama.Module.named_parameters().Select(p => p.name).ToList();
            Assert.Contains("score.weight", keys);
            Assert.Contains("score.bias", keys);
            Assert.DoesNotContain("lm_head.weight", keys);
            Assert.Equal("LlamaForTokenClassification", llama.Model.Architecture);
            var losses = Train(llama, steps: 20, batchSize: 8, lr: 2e-3);
            output.WriteLine($"llama NER loss curve: {string.Join(" ", losses.Where((_, i) => i % 4 == 0).Select(l => l.ToString("F3")))}");
            var (first, last) = Ends(losses, 3);
            Assert.True(last < first, $"loss {first} → {last}");
        }
        using var gpt2 = (TokenClassificationTask)TaskBuilder.Create("token-classification", Gpt2, data);
        var gkeys = gpt2.Module.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("classifier.weight", gkeys);
        Assert.Contains("transformer.wte.weight", gkeys);
        Assert.Equal("GPT2ForTokenClassification", gpt2.Model.Architecture);
    }

    [Fact]
    public void Bert_token_classifier_has_no_pooler()
    {
        var data = new TaskData(WordListNer(4, seed: 4));
        using var task = (TokenClassificationTask)TaskBuilder.Create("token-classification", Bert, data);
        var keys = task.Module.named_parameters().Select(p => p.name).ToList();
        Assert.DoesNotContain(keys, k => k.StartsWith("bert.pooler", StringComparison.Ordinal));
        Assert.Contains("classifier.bias", keys);
        Assert.IsType<BertForTokenClassification>(task.Model);
    }

    [Fact]
    public void Tag_and_word_mismatches_are_user_errors()
    {
        var mismatch = new TaskData(Records("""{"tokens":["a","b"],"tags":["O","O"]}""", """{"tokens":["a","b"],"tags":["O"]}"""));
        var e = Assert.Throws<UserError>(() => TaskBuilder.Create("token-classification", Llama, mismatch));
        Assert.Contains("test.jsonl:2: field 'tags': 1 tag(s) for 2 word(s)", e.Message);
        var empty = new TaskData(Records("""{"tokens":["a",""],"tags":["O","O"]}"""));
        Assert.Contains("test.jsonl:1: field 'tokens'[1]", Assert.Throws<UserError>(() => TaskBuilder.Create("token-classification", Llama, empty)).Message);
    }

    [Fact]
    public void A_tag_seen_only_in_validation_is_an_error_unless_labels_come_from_all_splits()
    {
        var data = new TaskData(Records("""{"tokens":["a","b"],"tags":["nn","vb"]}"""), Records("""{"tokens":["the","b"],"tags":["at","vb"]}"""));
        var e = Assert.Throws<UserError>(() => TaskBuilder.Create("token-classification", Bert, data));
        Assert.Contains("unknown label 'at'", e.Message, StringComparison.Ordinal);
        using var task = (TokenClassificationTask)TaskBuilder.Create("token-classification", Bert, data, new TaskOptions { LabelsFromAllSplits = true });
        Assert.Equal(["at", "nn", "vb"], task.Labels.Names);
    }
}
