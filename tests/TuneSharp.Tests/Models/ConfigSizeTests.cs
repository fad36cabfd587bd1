using System.Text.Json.Nodes;
using TuneSharp.Models;
using TuneSharp.Tests.Data;

namespace TuneSharp.Tests.Models;

/// <summary>
/// A config.json whose numbers disagree with its weights fails before anything sized by those numbers is built:
/// reproducers from file fuzzing (docs/RELIABILITY.md), which used to end in OutOfMemoryException, a
/// DivideByZeroException, or a multi-gigabyte allocation.
/// </summary>
public sealed class ConfigSizeTests : IDisposable
{
    readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    // The tiny Llama's folder with one config.json key changed.
    string Fails(string key, JsonNode value, Func<string, object> load)
    {
        var source = Fixtures.HfTiny(key == "vocab_size_bert" ? "tiny-bert-cls" : "tiny-llama");
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(dir.Path, Path.GetFileName(f)), overwrite: true);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "config.json")))!.AsObject();
        config[key == "vocab_size_bert" ? "vocab_size" : key] = value;
        File.WriteAllText(Path.Combine(dir.Path, "config.json"), config.ToJsonString());
        long before = GC.GetAllocatedBytesForCurrentThread();
        var message = Assert.Throws<UserError>(() => load(dir.Path)).Message;
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "allocated in proportion to the number");
        Assert.DoesNotContain('\n', message);
        return message;
    }

    static object Llama(string d) => Pretrained.LoadCausalLM(d);

    [Fact]
    public void A_huge_layer_count_is_refused_before_layers_are_built() =>
        Assert.Contains("key 'num_hidden_layers': 2147483647 is outside 1..4096", Fails("num_hidden_layers", int.MaxValue, Llama));

    [Fact]
    public void Zero_heads_is_refused() =>
        Assert.Contains("key 'num_attention_heads': 0 is outside", Fails("num_attention_heads", 0, Llama));

    [Fact]
    public void A_vocabulary_larger_than_the_weights_fails_on_the_meta_device()
    {
        // 2^30 rows × 64 would be 256 GB of float32: the shapes are compared before anything is allocated.
        var message = Fails("vocab_size", 1 << 30, Llama);
        Assert.True(message.Contains("the model expects [1073741824, 64]", StringComparison.Ordinal), message);
        Assert.Contains("the model expects [1073741824,", Fails("vocab_size_bert", 1 << 30, d => Pretrained.LoadBertClassifier(d)));
    }

    [Fact]
    public void A_negative_size_is_a_user_error_naming_config_json() =>
        Assert.Contains("config.json", Fails("intermediate_size", -5, Llama));
}
