using TuneSharp.Generation;
using TuneSharp.Generation.Continuous;
using TuneSharp.Models;
using TuneSharp.Models.Common;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Generation;

public class ContinuousBatcherTests
{
    static readonly string[] Texts =
    [
        "Fine-tuning adapts a pre-trained model to a task.",
        "Return the number",
        "A",
        "The quick brown fox jumps over the lazy dog and keeps running through the field until the sun goes down",
        "Tiny models",
        "Continuous batching lets requests join and leave the running batch at every step",
    ];

    static List<IReadOnlyList<int>> Encode(string dir) =>
        Texts.Select(t => (IReadOnlyList<int>)HfTokenizer.Load(dir).Encode(t)).ToList();

    /// <summary>Steps the batcher until every request is done.</summary>
    static void Drain(ContinuousBatcher batcher)
    {
        for (int i = 0; batcher.HasWork; i++)
        {
            Assert.True(i < 10_000, "the batcher made no progress");
            batcher.Step();
        }
    }

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gpt2")]
    public async Task Requests_joining_and_leaving_at_different_steps_decode_as_they_do_alone(string fixture)
    {
        var dir = Fixtures.HfTiny(fixture);
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(dir);
        // Mixed lengths: rows leave at different steps while others are still reading their prompt (chunk of 4 tokens).
        var options = prompts.Select((_, i) => new GenerationOptions { MaxNewTokens = 3 + 5 * (i % 3), IgnoreEos = true }).ToList();
        var limits = new ContinuousBatchingOptions { MaxBatch = 4, PrefillChunk = 4, PrefillBudget = 6 };

        using var batcher = new ContinuousBatcher(model, limits);
        var requests = new List<BatchedRequest>();
        for (int i = 0; i < prompts.Count; i++)
        {
            requests.Add(new BatchedRequest("m", [prompts[i]], options[i]));
            batcher.Add(requests[^1]);
            batcher.Step(); // the next request arrives while this one is being read or decoded
        }
        Drain(batcher);

        for (int i = 0; i < prompts.Count; i++)
        {
            Assert.True(requests[i].Completion.IsCompletedSuccessfully);
            var together = (await requests[i].Completion)[0];
            using var lone = new ContinuousBatcher(model, limits);
            var alone = new BatchedRequest("m", [prompts[i]], options[i]);
            lone.Add(alone);
            Drain(lone);
            Assert.Equal((await alone.Completion)[0].NewIds, together.NewIds);
            Assert.Equal(options[i].MaxNewTokens, together.NewIds.Count);
            Assert.Equal("length", together.FinishReason);
            // And as the lockstep generator decodes it alone (no slots, no explicit masks).
            Assert.Equal(TextGenerator.Generate(model, prompts[i], options[i]).NewIds, together.NewIds);
        }
    }

    [Fact]
    public async Task Seeded_sampling_penalties_logprobs_and_n_rows_match_the_lockstep_generator()
    {
        var dir = Fixtures.HfTiny("tiny-llama");
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(dir);
        var sampled = new GenerationOptions { MaxNewTokens = 8, IgnoreEos = true, Temperature = 0.9, TopK = 20, Seed = 7, Logprobs = 2, FrequencyPenalty = 0.5 };
        var three = Enumerable.Repeat(prompts[1], 3).ToList();
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { MaxBatch = 8, PrefillChunk = 3 });
        var other = new BatchedRequest("m", [prompts[3]], new GenerationOptions { MaxNewTokens = 12, IgnoreEos = true });
        batcher.Add(other);
        batcher.Step();
        var request = new BatchedRequest("m", three, sampled);
        batcher.Add(request);
        Drain(batcher);

        var lockstep = BatchGenerator.Generate(model, three, sampled);
        for (int row = 0; row < 3; row++)
        {
            var got = (await request.Completion)[row];
            Assert.Equal(lockstep[row].NewIds, got.NewIds);
            for (int t = 0; t < got.NewIds.Count; t++)
                Assert.Equal(lockstep[row].Logprobs![t].Logprob, got.Logprobs![t].Logprob, 4);
        }
    }

    [Fact]
    public async Task A_stop_callback_and_eos_end_a_row_and_free_its_slot_for_the_next_request()
    {
        var dir = Fixtures.HfTiny("tiny-llama");
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(dir);
        var free = new GenerationOptions { MaxNewTokens = 6, IgnoreEos = true };
        var reference = TextGenerator.Generate(model, prompts[0], free).NewIds;
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { MaxBatch = 1 });
        var stopped = new BatchedRequest("m", [prompts[0]], free, (_, id, _) => id == reference[1]);
        var next = new BatchedRequest("m", [prompts[2]], free);
        batcher.Add(stopped);
        batcher.Add(next);
        batcher.Step();
        Assert.Equal(1, batcher.Waiting); // one slot: the second request waits
        Drain(batcher);
        Assert.Equal(reference.Take(2), (await stopped.Completion)[0].NewIds);
        Assert.Equal("stop", (await stopped.Completion)[0].FinishReason);
        Assert.Equal(TextGenerator.Generate(model, prompts[2], free).NewIds, (await next.Completion)[0].NewIds);
    }

    [Fact]
    public async Task A_cancelled_request_leaves_the_batch_at_the_next_step_and_the_others_carry_on()
    {
        var dir = Fixtures.HfTiny("tiny-llama");
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(dir);
        var options = new GenerationOptions { MaxNewTokens = 20, IgnoreEos = true };
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { MaxBatch = 4 });
        using var cts = new CancellationTokenSource();
        var doomed = new BatchedRequest("m", [prompts[0], prompts[1]], options, cancel: cts.Token);
        var kept = new BatchedRequest("m", [prompts[4]], options);
        batcher.Add(doomed);
        batcher.Add(kept);
        batcher.Step();
        batcher.Step();
        Assert.Equal(3, batcher.Running);
        cts.Cancel();
        batcher.Step();
        Assert.Equal(1, batcher.Running);
        Assert.True(doomed.Completion.IsCanceled);
        Drain(batcher);
        Assert.Equal(TextGenerator.Generate(model, prompts[4], options).NewIds, (await kept.Completion)[0].NewIds);
    }

    [Fact]
    public void Requests_for_another_model_id_wait_until_the_batch_drains_and_never_overtake()
    {
        var dir = Fixtures.HfTiny("tiny-llama");
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(dir);
        var options = new GenerationOptions { MaxNewTokens = 4, IgnoreEos = true };
        var switches = new List<string>();
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions(), switches.Add);
        var first = new BatchedRequest("base", [prompts[0]], options);
        var adapter = new BatchedRequest("adapter", [prompts[1]], options);
        var later = new BatchedRequest("base", [prompts[2]], options);
        batcher.Add(first);
        batcher.Add(adapter);
        batcher.Add(later);
        batcher.Step();
        Assert.Equal(1, batcher.Running);
        Assert.Equal(2, batcher.Waiting);
        Drain(batcher);
        Assert.Equal(["base", "adapter", "base"], switches);
        Assert.All([first, adapter, later], r => Assert.True(r.Completion.IsCompletedSuccessfully));
    }

    [Fact]
    public void Bad_requests_are_user_errors_before_they_join()
    {
        var dir = Fixtures.HfTiny("tiny-llama");
        using var model = Pretrained.LoadCausalLM(dir);
        var prompts = Encode(dir);
        using var batcher = new ContinuousBatcher(model, new ContinuousBatchingOptions { MaxBatch = 2 });
        var tooMany = Assert.Throws<UserError>(() => batcher.Add(new BatchedRequest("m", [prompts[0], prompts[1], prompts[2]], new GenerationOptions())));
        Assert.Contains("--max-batch", tooMany.Message);
        Assert.Throws<UserError>(() => batcher.Add(new BatchedRequest("m", [Array.Empty<int>()], new GenerationOptions())));
        Assert.Throws<UserError>(() => batcher.Add(new BatchedRequest("m", [prompts[0]], new GenerationOptions { MaxNewTokens = 100_000 })));
        Assert.False(batcher.HasWork);
        var limits = Assert.Throws<UserError>(() => new ContinuousBatcher(model, new ContinuousBatchingOptions { PrefillChunk = 0 }));
        Assert.Contains("--prefill-chunk", limits.Message);
    }

    [Fact]
    public void Slot_cache_rows_store_at_their_own_lengths_and_moves_keep_a_slot_whole()
    {
        using var cache = new SlotKvCache(layers: 1, slots: 3, initialCapacity: 2);
        var device = CPU;
        // Slot 0 holds 2 positions, slot 2 holds 1; one new token each.
        var seedView = cache.Rows([0, 2], [0, 0], 2, device);
        var k0 = arange(2 * 1 * 2 * 2, dtype: ScalarType.Float32).reshape(2, 1, 2, 2);                       // (B, nkv, T, hd)
        seedView.Update(0, k0, k0 + 100);
        var view = cache.Rows([0, 2], [2, 1], 1, device);
        var step = full(2, 1, 1, 2, -1f);
        var (keys, values) = view.Update(0, step, step);
        Assert.Equal([2L, 1, 3, 2], keys.shape);                                                         // P+T = max length 2 + 1
        Assert.Equal(-1f, keys[0, 0, 2, 0].item<float>());                                               // slot 0 wrote at position 2
        Assert.Equal(-1f, keys[1, 0, 1, 0].item<float>());                                               // slot 2 wrote at position 1
        Assert.Equal(k0[0, 0, 1, 1].item<float>(), keys[0, 0, 1, 1].item<float>());                      // earlier positions kept
        Assert.True(cache.Capacity >= 3);
        cache.Move(0, 1, 3);
        var moved = cache.Rows([1], [3], 1, device).Update(0, zeros(1, 1, 1, 2), zeros(1, 1, 1, 2)).Keys;    // (1, 1, 4, 2)
        Assert.True(moved.narrow(2, 0, 3).eq(keys[0].unsqueeze(0)).all().item<bool>());
    }

    [Fact]
    public void The_ragged_mask_shows_each_row_its_own_positions_only()
    {
        var mask = RaggedStep.Mask([2, 0], 2, CPU);                                                     // (2, 1, 2, 4)
        Assert.Equal([2L, 1, 2, 4], mask.shape);
        bool[] Row(int b, int t) => Enumerable.Range(0, 4).Select(j => mask[b, 0, t, j].item<bool>()).ToArray();
        Assert.Equal([true, true, true, false], Row(0, 0));
        Assert.Equal([true, true, true, true], Row(0, 1));
        Assert.Equal([true, false, false, false], Row(1, 0));
        Assert.Equal([true, true, false, false], Row(1, 1));
    }
}
