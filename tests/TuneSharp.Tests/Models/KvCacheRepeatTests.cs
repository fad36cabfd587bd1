using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

[Collection(SequentialCollection.Name)]
public sealed class KvCacheRepeatTests
{
    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gpt2")]
    public void Continuations_from_a_repeated_cache_equal_full_forwards(string fixture)
    {
        using var lm = Pretrained.LoadCausalLM(Fixtures.HfTiny(fixture));
        lm.Module.eval();
        using var _ = no_grad();
        var prompt = randint(4, lm.Info.VocabSize, [1, 7], generator: new Generator(2));
        var continuations = randint(4, lm.Info.VocabSize, [3, 4], generator: new Generator(3));
        using var cache = lm.NewCache();
        lm.HiddenStates(prompt, null, null, cache);
        using var repeated = cache.Repeat(3);
        Assert.Equal(7, repeated.Length);
        var fromCache = lm.Forward(continuations, null, null, repeated);                       // (3, 4, V)
        var full = lm.Forward(cat([prompt.expand(3, -1), continuations], 1))[.., 7..];        // (3, 4, V)
        Assert.True(fromCache.allclose(full, rtol: 1e-4, atol: 1e-5), $"max diff {(fromCache - full).abs().max().item<float>()}");
        Assert.Equal(7, cache.Length); // the original cache is untouched
    }
}
