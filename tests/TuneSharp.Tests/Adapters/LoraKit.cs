using TuneSharp.Models;
using TuneSharp.Tests.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Adapters;

/// <summary>Shared pieces of the LoRA tests: fixture paths, masked logit comparison, temporary folders.</summary>
internal static class LoraKit
{
    public static string Llama => Fixtures.HfTiny("tiny-llama");
    public static string Adapter => Fixtures.HfTiny("tiny-llama-lora");

    /// <summary>max |a - b| over real (unpadded) tokens: padded positions are not defined by the task.</summary>
    public static double MaskedMaxDiff(Tensor logits, Tensor expected, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(expected.shape, logits.shape);
        var mask = attentionMask.to_type(ScalarType.Bool).unsqueeze(-1).expand_as(expected);
        return Reference.MaxAbsDiff(logits.masked_select(mask), expected.masked_select(mask));
    }

    /// <summary>Logits of <paramref name="model"/> on the LoRA fixture's inputs, without autograd.</summary>
    public static Tensor Logits(ICausalLM model, Reference reference)
    {
        using var _ = no_grad();
        return model.Forward(reference["input_ids"], reference["attention_mask"]);
    }

    public static Dictionary<string, long[]> Shapes(string safetensorsPath)
    {
        using var file = TuneSharp.IO.SafetensorsFile.Open(safetensorsPath);
        return file.Tensors.ToDictionary(t => t.Name, t => t.Shape, StringComparer.Ordinal);
    }
}

/// <summary>A fresh folder under the temp path, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tunesharp-lora-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
