using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Training;

/// <summary>
/// The depth of each parameter for layer-wise fine-tuning (ULMFiT): 0 = the embeddings, 1..L = the transformer
/// blocks from the bottom, L+1 = everything above the blocks (final norm, pooler, task heads). Read from the
/// Hugging Face names: BERT's <c>encoder.layer.N.</c>, Llama/Qwen2's <c>layers.N.</c>, GPT-2's <c>h.N.</c>;
/// adapter weights inside a block (LoRA) belong to that block.
/// </summary>
public static partial class LayerGroups
{
    [GeneratedRegex(@"(?:^|\.)(?:layer|layers|h)\.(\d+)\.")]
    private static partial Regex BlockIndex();

    [GeneratedRegex(@"(?:^|\.)(?:embeddings|embed_tokens|wte|wpe)(?:\.|$)")]
    private static partial Regex Embedding();

    /// <summary>Number of transformer blocks named in <paramref name="names"/> (highest block index + 1).</summary>
    public static int Blocks(IEnumerable<string> names) =>
        names.Select(n => BlockIndex().Match(n)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();

    /// <summary>Depth of one parameter in a model of <paramref name="blocks"/> blocks.</summary>
    public static int Depth(string name, int blocks)
    {
        var m = BlockIndex().Match(name);
        if (m.Success) return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
        return Embedding().IsMatch(name) ? 0 : blocks + 1;
    }

    /// <summary>
    /// ULMFiT's discriminative learning rates: the top group (heads) trains at the base rate and each group below
    /// at the rate of the one above divided by <paramref name="decay"/> (2.6 in ULMFiT): factor = decay^−(top − depth).
    /// </summary>
    public static double LrFactor(string name, int blocks, double decay) =>
        decay == 1.0 ? 1.0 : Math.Pow(decay, -(blocks + 1 - Depth(name, blocks)));

    /// <summary>Freezes the embeddings and the bottom <paramref name="layers"/> blocks; returns the frozen element count.</summary>
    public static long FreezeBottom(nn.Module module, int layers)
    {
        var parameters = module.named_parameters().ToList();
        int blocks = Blocks(parameters.Select(p => p.name));
        if (layers > blocks) throw new UserError($"method.freeze_layers: {layers} is more than the model's {blocks} layers");
        long frozen = 0;
        foreach (var (name, p) in parameters)
            if (Depth(name, blocks) <= layers) { p.requires_grad = false; frozen += p.numel(); }
        return frozen;
    }
}
