using TorchSharp;
using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models;

/// <summary>
/// Full-size public configs built on the meta device (no memory): every key and shape must match
/// the Hugging Face listing, so naming drift shows at once. Totals equal the public parameter counts.
/// </summary>
public class FullSizeListingTests
{
    static string Dir(string sub) => Path.Combine(Fixtures.RepoRoot, "tests", "TuneSharp.Tests", "Models", sub);

    static List<string> Listing(nn.Module module) =>
        module.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]").Order(StringComparer.Ordinal).ToList();

    static List<string> Expected(string name) =>
        File.ReadAllLines(Path.Combine(Dir("Listings"), name + ".txt")).Order(StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData("llama-3.2-1b.json", "llama-3.2-1b", 1_235_814_400L)]
    [InlineData("qwen2.5-0.5b.json", "qwen2.5-0.5b", 494_032_768L)]
    [InlineData("gpt2-124m.json", "gpt2-124m", 124_439_808L)]
    public void Causal_models_on_meta_match_hf_keys_and_shapes(string config, string listing, long publicCount)
    {
        var cfg = ConfigJson.Load(Path.Combine(Dir("Configs"), config));
        using var model = ModelFactory.CreateCausalLM(cfg, META);
        Assert.Equal(Expected(listing), Listing(model.Module));
        Assert.Equal(publicCount, model.Module.parameters().Sum(p => p.numel()));
        Assert.All(model.Module.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
    }

    [Fact]
    public void Bert_base_classifier_on_meta_matches_hf_keys_and_shapes()
    {
        var cfg = ConfigJson.Load(Path.Combine(Dir("Configs"), "bert-base-uncased.json"));
        using var model = ModelFactory.CreateBertClassifier(cfg, META);
        Assert.Equal(Expected("bert-base-uncased-cls"), Listing(model));
        // BertModel (with pooler) has 109,482,240 parameters; the 2-label head adds 768*2+2.
        Assert.Equal(109_482_240L + 1538, model.parameters().Sum(p => p.numel()));
    }
}
