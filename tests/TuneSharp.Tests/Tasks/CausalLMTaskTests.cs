using System.Text.Json.Nodes;
using TuneSharp.Models;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static TuneSharp.Tests.Tasks.TaskTestKit;

namespace TuneSharp.Tests.Tasks;

public class CausalLMTaskTests(ITestOutputHelper output)
{
    static List<int> Trained(LmExample e) => e.Labels.Where(l => l >= 0).ToList();

    [Fact]
    public void Chat_mask_trains_assistant_tokens_and_their_im_end_only()
    {
        var data = new TaskData(Records("""
            {"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hi."},
             {"role":"assistant","content":"Hi."},{"role":"user","content":"Again."},{"role":"assistant","content":"Hi again."}]}
            """.ReplaceLineEndings(" ")));
        using var task = (CausalLMTask)TaskBuilder.Create("causal-lm-sft", Llama, data);
        var e = task.Examples(Split.Train)[0];
        var tok = task.Tokenizer;
        // The rendering starts as the fixture's (system + user + generation prompt), token for token.
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.Root, "hf-tiny", "meta.json")))!["tokenizer"]!;
        var chatIds = meta["chat_ids"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        Assert.Equal(chatIds, e.Ids.Take(chatIds.Length).ToArray());
        Assert.All(e.Labels.Take(chatIds.Length), l => Assert.Equal(-100, l));
        // Trained text = each assistant reply with its <|im_end|> and the template's newline, nothing else.
        var spans = new List<string>();
        for (int t = 0; t < e.Ids.Length; t++)
        {
            if (e.Labels[t] < 0) continue;
            Assert.Equal(e.Ids[t], e.Labels[t]);
            if (t == 0 || e.Labels[t - 1] < 0) spans.Add("");
            spans[^1] += tok.Decode([e.Ids[t]]);
        }
        Assert.Equal(["Hi.<|im_end|>\n", "Hi again.<|im_end|>\n"], spans);
        Assert.Equal(2, Enumerable.Range(0, e.Ids.Length).Count(t => e.Ids[t] == 2 && e.Labels[t] == 2)); // the assistants' <|im_end|>
    }

    [Fact]
    public void Prompt_completion_and_alpaca_train_the_completion_and_eos_only()
    {
        var data = new TaskData(Records("""{"prompt":"Q: 2+2?\nA:","completion":" 4"}""",
            """{"instruction":"Name a colour.","output":"Blue."}""", """{"instruction":"Add.","input":"1 and 2","output":"3"}"""));
        using var task = (CausalLMTask)TaskBuilder.Create("causal-lm-sft", Gpt2, data);
        var tok = task.Tokenizer;
        var e0 = task.Examples(Split.Train)[0];
        int promptLength = tok.Encode("Q: 2+2?\nA:").Count;
        Assert.All(e0.Labels.Take(promptLength), l => Assert.Equal(-100, l));
        Assert.Equal(tok.Encode(" 4", false).Append(0).ToList(), Trained(e0)); // completion + <|endoftext|>
        var e1 = task.Examples(Split.Train)[1];
        Assert.Equal(tok.Encode(AlpacaPrompt.Render("Name a colour.", ""), true).ToArray(), e1.Ids.Take(e1.Ids.Length - Trained(e1).Count).ToArray());
        Assert.Equal("Blue.<|endoftext|>", tok.Decode(Trained(e1)));
        Assert.Contains("### Input:\n1 and 2", tok.Decode(task.Examples(Split.Train)[2].Ids));

        using var batch = task.Collate(Split.Train, [0, 1], CPU);
        var labels = batch["labels"];
        Assert.Equal(batch["input_ids"].shape, labels.shape);
        Assert.Equal(e0.Ids.Length, batch["attention_mask"][0].sum().item<long>());
        Assert.All(labels[0].data<long>().ToArray().Skip(e0.Ids.Length), l => Assert.Equal(-100, l)); // padding
        Assert.Equal(Trained(e0).Count + Trained(e1).Count, batch.LossTokens);
    }

    [Fact]
    public void Truncation_policy_cuts_or_drops()
    {
        var records = Records("""{"prompt":"Q","completion":" A"}""", """{"prompt":"Q:","completion":" a long answer that goes on and on and on"}""",
            """{"prompt":"a much longer prompt that goes on and on","completion":" x"}""");
        using (var cut = (CausalLMTask)TaskBuilder.Create("causal-lm-sft", Llama, new TaskData(records), new TaskOptions { MaxLength = 8 }))
        {
            Assert.Equal(2, cut.Count(Split.Train));   // the third keeps no completion token: dropped
            Assert.Equal(1, cut.Dropped[Split.Train]);
            var e = cut.Examples(Split.Train)[1];
            Assert.Equal(8, e.Ids.Length);
            Assert.NotEqual(0, e.Ids[^1]);             // cut at the end: its EOS is gone
        }
        using var drop = (CausalLMTask)TaskBuilder.Create("causal-lm-sft", Llama, new TaskData(records), new TaskOptions { MaxLength = 8, Truncation = TruncationPolicy.Drop });
        Assert.Equal(1, drop.Count(Split.Train));
        Assert.Equal(2, drop.Dropped[Split.Train]);
    }

    [Fact]
    public void Seq2seq_masks_the_source_and_separator_and_generates_for_evaluation()
    {
        var pairs = new[] { ("cat", "KAT"), ("dog", "DOG"), ("sun", "SAN"), ("map", "MAP") };
        var records = pairs.Select((p, i) => Record(new JsonObject { ["source"] = p.Item1, ["target"] = p.Item2 }, i + 1)).ToList();
        var options = new TaskOptions { Separator = " => ", MaxEvalGenerations = 2, Generation = new() { MaxNewTokens = 4 } };
        using var task = (CausalLMTask)TaskBuilder.Create("seq2seq", Llama, new TaskData(records, records), options);
        var tok = task.Tokenizer;
        var e = task.Examples(Split.Train)[0];
        Assert.Equal(tok.Encode("cat => ").ToArray(), e.PromptIds);
        Assert.All(e.Labels.Take(e.PromptIds!.Length), l => Assert.Equal(-100, l));
        Assert.Equal("KAT<|endoftext|>", tok.Decode(Trained(e)));
        var losses = Train(task, steps: 30, batchSize: 4, lr: 3e-3);
        output.WriteLine($"seq2seq loss curve: {string.Join(" ", losses.Where((_, i) => i % 5 == 0).Select(l => l.ToString("F3")))}");
        var (first, last) = Ends(losses, 3);
        Assert.True(last < first * 0.5, $"loss {first} → {last}");
        var eval = task.Evaluate(Split.Validation, 4, CPU);
        output.WriteLine($"{string.Join(", ", eval.Metrics.Select(kv => $"{kv.Key}={kv.Value:F3}"))}\n{eval.Settings}\n{eval.ReportMarkdown}");
        Assert.Equal(2, eval["generated"]);
        foreach (var m in new[] { "exact_match", "bleu", "chrf", "rougeL", "loss", "perplexity" }) Assert.True(eval.Metrics.ContainsKey(m), m);
        Assert.Contains("BLEU|nrefs:1", eval.Settings);
        Assert.Contains("chrF2|", eval.Settings);
    }

    [Fact]
    public void Continued_pretraining_packs_eos_joined_texts_into_blocks_and_loss_falls()
    {
        var texts = Enumerable.Range(0, 24).Select(i => Record(new JsonObject { ["text"] = $"Fine-tuning adapts a pre-trained model to task number {i % 3}." }, i + 1)).ToList();
        using var task = (CausalLMTask)TaskBuilder.Create("causal-lm", Llama, new TaskData(texts, texts.Take(4)), new TaskOptions { BlockSize = 32 });
        var tok = task.Tokenizer;
        long total = texts.Sum(r => tok.Encode(r.Fields["text"]!.GetValue<string>()).Count + 1);
        Assert.Equal(total / 32, task.Count(Split.Train));
        Assert.All(task.Examples(Split.Train), e => { Assert.Equal(32, e.Ids.Length); Assert.Equal(e.Ids, e.Labels); });
        Assert.Equal(0, task.Examples(Split.Train)[0].Ids[tok.Encode(texts[0].Fields["text"]!.GetValue<string>()).Count]); // EOS between texts
        var before = task.Evaluate(Split.Validation, 4, CPU);
        var losses = Train(task, steps: 30, batchSize: 4, lr: 3e-3);
        var after = task.Evaluate(Split.Validation, 4, CPU);
        output.WriteLine($"CPT loss curve: {string.Join(" ", losses.Where((_, i) => i % 5 == 0).Select(l => l.ToString("F3")))}; perplexity {before["perplexity"]:F1} → {after["perplexity"]:F1}");
        Assert.True(after["loss"] < before["loss"] * 0.5);
        Assert.Equal(Math.Exp(after["loss"]), after["perplexity"], 6);
    }

    [Fact]
    public void Sft_loss_falls_on_chat_data()
    {
        var records = Enumerable.Range(0, 8).Select(i => Record((JsonObject)JsonNode.Parse(
            $$"""{"messages":[{"role":"user","content":"Capital of country {{i}}?"},{"role":"assistant","content":"City {{i}}."}]}""")!, i + 1)).ToList();
        using var task = TaskBuilder.Create("causal-lm-sft", Llama, new TaskData(records, records.Take(4)));
        var losses = Train(task, steps: 30, batchSize: 4, lr: 3e-3);
        output.WriteLine($"chat SFT loss curve: {string.Join(" ", losses.Where((_, i) => i % 5 == 0).Select(l => l.ToString("F3")))}");
        var (first, last) = Ends(losses, 3);
        Assert.True(last < first * 0.5, $"loss {first} → {last}");
        var eval = task.Evaluate(Split.Validation, 4, CPU);
        Assert.Equal(Math.Exp(eval["loss"]), eval["perplexity"], 6);
    }

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gpt2")]
    public void Packed_rows_give_the_same_logits_and_loss_as_separate_examples(string fixture)
    {
        var records = Records("""{"prompt":"Q: one","completion":" first answer"}""", """{"prompt":"Q: two is longer","completion":" B"}""",
            """{"prompt":"three","completion":" the third, longest answer of all"}""");
        var dir = Fixtures.HfTiny(fixture);
        using var packed = (CausalLMTask)TaskBuilder.Create("causal-lm-sft", dir, new TaskData(records), new TaskOptions { Packing = true, MaxLength = 64 });
        using var plain = (CausalLMTask)TaskBuilder.Create("causal-lm-sft", dir, new TaskData(records));
        packed.Module.eval();
        plain.Module.eval();
        using var _ = no_grad();
        using var pb = packed.Collate(Split.Train, [0, 1, 2], CPU);
        Assert.Equal(1, pb["input_ids"].shape[0]); // all three in one row
        Assert.Equal(new long[] { 1, 1, pb["input_ids"].shape[1], pb["input_ids"].shape[1] }, pb["attention_mask"].shape);
        using var ub = plain.Collate(Split.Train, [0, 1, 2], CPU);
        Assert.Equal(ub.LossTokens, pb.LossTokens);
        using var packedLogits = packed.Logits(pb);
        using var plainLogits = plain.Logits(ub);
        int at = 0;
        for (int i = 0; i < 3; i++)
        {
            int n = plain.Examples(Split.Train)[i].Ids.Length;
            var piece = packedLogits[0].narrow(0, at, n);
            var alone = plainLogits[i].narrow(0, 0, n);
            Assert.True(piece.allclose(alone, rtol: 1e-4, atol: 1e-4), $"example {i}: max diff {(piece - alone).abs().max().item<float>()}");
            Assert.Equal(0L, pb["position_ids"][0, at].item<long>());        // positions restart per example
            Assert.Equal(n - 1L, pb["position_ids"][0, at + n - 1].item<long>());
            Assert.Equal(-100L, pb["labels"][0, at].item<long>());           // no example predicts the next one's first token
            at += n;
        }
        Assert.Equal(plain.Loss(ub).item<float>(), packed.Loss(pb).item<float>(), 4);
    }
}
