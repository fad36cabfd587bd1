using System.Text;
using TuneSharp.Generation;
using TuneSharp.Models;
using TuneSharp.Tokenization;

namespace TuneSharp.Tests.Generation;

public class GenerationEngineTests
{
    static readonly string[] Prompts =
    [
        "Fine-tuning adapts a pre-trained model to a task.",
        "Return the number",
        "A tiny model",
        "The quick brown fox jumps over the lazy dog and keeps running",
    ];

    static List<IReadOnlyList<int>> Encode(HfTokenizer tokenizer) =>
        Prompts.Select(p => (IReadOnlyList<int>)tokenizer.Encode(p)).ToList();

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gpt2")]
    public void Cached_batched_and_single_greedy_outputs_agree(string fixture)
    {
        var dir = Fixtures.HfTiny(fixture);
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(HfTokenizer.Load(dir));
        var options = new GenerationOptions { MaxNewTokens = 10, IgnoreEos = true };
        var batched = BatchGenerator.Generate(model, prompts, options);
        var batchedNoCache = BatchGenerator.Generate(model, prompts, options with { UseCache = false });
        for (int i = 0; i < prompts.Count; i++)
        {
            var cached = TextGenerator.Generate(model, prompts[i], options);
            var uncached = TextGenerator.Generate(model, prompts[i], options with { UseCache = false });
            Assert.Equal(10, cached.NewIds.Count);
            Assert.Equal(cached.NewIds, uncached.NewIds);
            Assert.Equal(cached.NewIds, batched[i].NewIds);
            Assert.Equal(cached.NewIds, batchedNoCache[i].NewIds);
        }
    }

    [Fact]
    public void Batched_rows_stop_on_their_own_and_logprobs_match_single_runs()
    {
        var dir = Fixtures.HfTiny("tiny-llama");
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(HfTokenizer.Load(dir));
        var single = TextGenerator.Generate(model, prompts[1], new GenerationOptions { MaxNewTokens = 6, IgnoreEos = true });
        // Row 1 stops at its third token; the others run to the limit.
        int stopToken = single.NewIds[2];
        var options = new GenerationOptions { MaxNewTokens = 6, IgnoreEos = true, Logprobs = 3 };
        var results = BatchGenerator.Generate(model, prompts, options, (row, id, _) => row == 1 && id == stopToken);
        Assert.Equal(single.NewIds.Take(3), results[1].NewIds);
        Assert.Equal("stop", results[1].FinishReason);
        Assert.Equal("length", results[0].FinishReason);
        var alone = TextGenerator.Generate(model, prompts[3], options);
        Assert.Equal(alone.NewIds, results[3].NewIds);
        for (int t = 0; t < alone.Logprobs!.Count; t++)
        {
            Assert.Equal(alone.Logprobs[t].Logprob, results[3].Logprobs![t].Logprob, 4);
            Assert.Equal(alone.Logprobs[t].Top.Select(x => x.TokenId), results[3].Logprobs![t].Top.Select(x => x.TokenId));
        }
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_a_batch_of_one_matches_the_single_generator()
    {
        var dir = Fixtures.HfTiny("tiny-llama");
        using var model = Pretrained.LoadCausalLM(dir);
        var prompt = Encode(HfTokenizer.Load(dir))[0];
        var options = new GenerationOptions { MaxNewTokens = 12, IgnoreEos = true, Temperature = 1.3, TopP = 0.95, TopK = 50, Seed = 7 };
        var a = BatchGenerator.Generate(model, [prompt], options)[0].NewIds;
        var b = BatchGenerator.Generate(model, [prompt], options)[0].NewIds;
        var single = TextGenerator.Generate(model, prompt, options).NewIds;
        var other = BatchGenerator.Generate(model, [prompt], options with { Seed = 8 })[0].NewIds;
        Assert.Equal(a, b);
        Assert.Equal(a, single);
        Assert.NotEqual(a, other);
    }

    [Fact]
    public void Stop_strings_are_trimmed_and_streamed_deltas_concatenate_to_the_text()
    {
        var dir = Fixtures.HfTiny("tiny-llama");
        var tokenizer = HfTokenizer.Load(dir);
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(tokenizer);
        var plain = TextCompletion.Complete(model, tokenizer, prompts, new GenerationOptions { MaxNewTokens = 16, IgnoreEos = true });
        var full = tokenizer.Decode(plain[0].TokenIds, skipSpecialTokens: true);
        Assert.Equal(full, plain[0].Text);
        // A stop string taken from the middle of row 0's greedy text: the text ends right before it.
        var stop = full.Substring(full.Length / 2, 3);
        int at = full.IndexOf(stop, StringComparison.Ordinal);
        var streamed = new StringBuilder[prompts.Count];
        for (int i = 0; i < streamed.Length; i++) streamed[i] = new StringBuilder();
        var options = new GenerationOptions { MaxNewTokens = 16, IgnoreEos = true, StopStrings = [stop] };
        var outputs = TextCompletion.Complete(model, tokenizer, prompts, options, c => streamed[c.Index].Append(c.Delta));
        Assert.Equal(full[..at], outputs[0].Text);
        Assert.Equal("stop", outputs[0].FinishReason);
        for (int i = 0; i < prompts.Count; i++)
        {
            Assert.Equal(outputs[i].Text, streamed[i].ToString());
            Assert.DoesNotContain(stop, outputs[i].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Async_stream_yields_the_same_text_as_complete()
    {
        var dir = Fixtures.HfTiny("tiny-gpt2");
        var tokenizer = HfTokenizer.Load(dir);
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(tokenizer).Take(2).ToList();
        var options = new GenerationOptions { MaxNewTokens = 8, IgnoreEos = true };
        var expected = TextCompletion.Complete(model, tokenizer, prompts, options);
        var texts = new[] { new StringBuilder(), new StringBuilder() };
        var finishes = new string?[2];
        await foreach (var chunk in TextCompletion.Stream(model, tokenizer, prompts, options))
        {
            texts[chunk.Index].Append(chunk.Delta);
            if (chunk.FinishReason is not null) finishes[chunk.Index] = chunk.FinishReason;
        }
        Assert.Equal(expected[0].Text, texts[0].ToString());
        Assert.Equal(expected[1].Text, texts[1].ToString());
        Assert.Equal(new[] { "length", "length" }, finishes.Select(f => f ?? "none"));
    }

    [Fact]
    public void Incremental_decoder_holds_back_incomplete_utf8_sequences()
    {
        var tokenizer = HfTokenizer.Load(Fixtures.HfTiny("tiny-llama"));
        const string text = "café ☕ naïve 日本語 🙂 done";
        var ids = tokenizer.Encode(text, addSpecialTokens: false);
        var decoder = new IncrementalDecoder(tokenizer);
        var deltas = ids.Select(decoder.Push).Append(decoder.Flush()).ToList();
        Assert.Equal(tokenizer.Decode(ids), string.Concat(deltas));
        Assert.Contains("日本語", string.Concat(deltas), StringComparison.Ordinal);
        Assert.All(deltas, d => Assert.DoesNotContain('\uFFFD', d));
        // Some token of this text holds only part of a character, so some step must have emitted nothing.
        Assert.Contains(ids, id => TokenBytes.Of(tokenizer, id).Text.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.Contains("", deltas.SkipLast(1));
    }

    [Fact]
    public void Stop_matcher_holds_back_a_possible_stop_prefix()
    {
        var m = new StopStringMatcher(["END", "\n\n"]);
        Assert.Equal(("ab", false), m.Append("abE"));
        Assert.Equal(("ENx", false), m.Append("Nx"));
        Assert.Equal(("c", true), m.Append("c\n\nmore"));
        Assert.Equal("abENxc", m.Text);
        Assert.Equal("", m.Flush());
    }
}
