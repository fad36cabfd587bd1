using TuneSharp.IO;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

public class RoundTripTests
{
    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gpt2")]
    [InlineData("tiny-llama3-rope")]
    public void Causal_load_save_load_is_bit_identical_with_the_fixture_layout(string fixture)
    {
        var dir = Path.Combine(Path.GetTempPath(), "tunesharp-rt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var src = Fixtures.HfTiny(fixture);
            using (var model = Pretrained.LoadCausalLM(src))
                Pretrained.Save(dir, model.Module, Pretrained.Config(src), sideFilesFrom: src);
            AssertSameCheckpoint(src, dir);
            using var again = Pretrained.LoadCausalLM(dir);
            using var original = Pretrained.LoadCausalLM(src);
            var a = original.Module.state_dict();
            var b = again.Module.state_dict();
            Assert.Equal(a.Keys.Order(), b.Keys.Order());
            foreach (var key in a.Keys) Assert.True(Reference.BitEqual(a[key], b[key]), key);
            if (File.Exists(Path.Combine(src, "tokenizer.json")))
                Assert.Equal(File.ReadAllBytes(Path.Combine(src, "tokenizer.json")), File.ReadAllBytes(Path.Combine(dir, "tokenizer.json")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void Bert_save_keeps_keys_and_sharding_splits_past_the_limit()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tunesharp-rt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var src = Fixtures.HfTiny("tiny-bert-cls");
            using (var model = Pretrained.LoadBertClassifier(src))
                Pretrained.Save(dir, model, Pretrained.Config(src), sideFilesFrom: src, maxShardBytes: 100_000);
            Assert.True(File.Exists(Path.Combine(dir, "model.safetensors.index.json")));
            Assert.False(File.Exists(Path.Combine(dir, "model.safetensors")));
            AssertSameCheckpoint(src, dir);
            using var reloaded = Pretrained.LoadBertClassifier(dir);
            using var reference = new Reference("tiny-bert-cls");
            using var _ = no_grad();
            var logits = reloaded.Forward(reference["input_ids"], reference["attention_mask"]);
            using var original = Pretrained.LoadBertClassifier(src);
            Assert.True(Reference.BitEqual(logits, original.Forward(reference["input_ids"], reference["attention_mask"])));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    /// <summary>Same key set, shapes, dtypes and bytes as the fixture's checkpoint.</summary>
    static void AssertSameCheckpoint(string expectedDir, string actualDir)
    {
        using var expected = Checkpoint.Open(expectedDir);
        using var actual = Checkpoint.Open(actualDir);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var key in expected.Keys)
        {
            var e = expected.Info(key);
            var a = actual.Info(key);
            Assert.Equal(e.DType, a.DType);
            Assert.Equal(e.Shape, a.Shape);
            using var et = expected.Read(key);
            using var at = actual.Read(key);
            Assert.True(Reference.BitEqual(et, at), key);
        }
    }
}
