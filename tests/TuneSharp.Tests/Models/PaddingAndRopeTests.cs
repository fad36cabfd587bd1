using TuneSharp.Models;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

public class PaddingAndRopeTests
{
    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-gpt2")]
    public void Left_padded_rows_give_the_unpadded_logits(string fixture)
    {
        // A row left-padded by 3, with position ids counting real tokens only (as generation uses),
        // must give the same logits at its real positions as the row alone.
        using var scope = NewDisposeScope();
        using var model = Pretrained.LoadCausalLM(Fixtures.HfTiny(fixture));
        using var _ = no_grad();
        long[] row = [41, 262, 72, 16, 87, 340, 279];
        var alone = model.Forward(tensor(row).unsqueeze(0));                                // (1, 7, V)
        var ids = tensor(new long[] { 3, 3, 3 }.Concat(row).ToArray()).unsqueeze(0);      // (1, 10)
        var mask = tensor(new long[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 }).unsqueeze(0);
        var positions = (mask.cumsum(1) - 1).clamp_min(0);
        var padded = model.Forward(ids, mask, positions);
        Assert.True(Reference.MaxAbsDiff(padded.narrow(1, 3, 7), alone) <= 1e-5);
        Assert.False(padded.isnan().any().item<bool>()); // fully masked pad rows stay finite
    }

    [Fact]
    public void Linear_rope_scaling_divides_every_frequency_by_the_factor()
    {
        using var scope = NewDisposeScope();
        var plain = RotaryEmbedding.InverseFrequencies(16, new RopeScaling("default", 10000.0));
        var linear = RotaryEmbedding.InverseFrequencies(16, new RopeScaling("linear", 10000.0, Factor: 4.0));
        Assert.True(Reference.MaxAbsDiff(linear * 4.0, plain) <= 1e-9);
        // inv_freq[i] = 1 / 10000^(2i/16)
        Assert.Equal(1.0, plain[0].item<float>(), 6);
        Assert.Equal(1.0 / Math.Pow(10000.0, 2.0 / 16), plain[1].item<float>(), 6);
    }

    [Fact]
    public void Llama3_scaling_keeps_high_frequencies_and_slows_low_ones()
    {
        using var scope = NewDisposeScope();
        var s = new RopeScaling("llama3", 500000.0, Factor: 8.0, LowFreqFactor: 1.0, HighFreqFactor: 4.0, OriginalMaxPositionEmbeddings: 32);
        var plain = RotaryEmbedding.InverseFrequencies(16, s with { RopeType = "default" });
        var scaled = RotaryEmbedding.InverseFrequencies(16, s);
        // wavelength 2π/f < 32/4 = 8 positions: unchanged; > 32: divided by 8.
        for (int i = 0; i < 8; i++)
        {
            double f = plain[i].item<float>(), g = scaled[i].item<float>(), wavelen = 2 * Math.PI / f;
            if (wavelen < 8) Assert.Equal(f, g, 6);
            else if (wavelen > 32) Assert.Equal(f / 8, g, 6);
            else Assert.InRange(g, f / 8 * 0.999, f * 1.001);
        }
    }

    [Fact]
    public void Unsupported_rope_type_is_a_user_error_naming_the_key()
    {
        var path = Path.Combine(Path.GetTempPath(), "cfg-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """{"model_type":"llama","vocab_size":8,"hidden_size":8,"intermediate_size":8,"num_hidden_layers":1,"num_attention_heads":2,"rope_scaling":{"rope_type":"yarn","factor":2.0}}""");
        try
        {
            var e = Assert.Throws<UserError>(() => ModelFactory.CreateCausalLM(ConfigJson.Load(path), META));
            Assert.Contains("rope_scaling.rope_type", e.Message);
            Assert.Contains("yarn", e.Message);
        }
        finally { File.Delete(path); }
    }
}
