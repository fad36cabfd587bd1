using TorchSharp;
using static TorchSharp.torch;

namespace TuneSharp.Models.Heads;

/// <summary>
/// Puts a causal LM's transformer body (its children except lm_head: <c>model</c> for Llama/Qwen2/Mistral,
/// <c>transformer</c> for GPT-2) into a head module under the same names, so the head module's keys are
/// transformers' (<c>model.*</c> + <c>score.weight</c>). The body modules are shared, not copied: the causal
/// LM still runs the forward (RoPE, masks), and adapters injected into the head module's tree reach it.
/// </summary>
internal static class DecoderBody
{
    /// <summary>Registers the body on <paramref name="owner"/>; returns the base-model prefix ("model" or "transformer").</summary>
    public static string Register(nn.Module owner, ICausalLM lm)
    {
        string? prefix = null;
        foreach (var (name, child) in lm.Module.named_children())
        {
            if (name == "lm_head") continue; // classifiers have no LM head (HF drops lm_head.weight on load)
            owner.register_module(name, child);
            prefix ??= name;
        }
        return prefix ?? throw new InvalidOperationException($"{lm.GetType().Name} has no submodules");
    }

    /// <summary>config.json's classifier dropout as transformers reads it for token classifiers: classifier_dropout, else hidden_dropout, else 0.1.</summary>
    public static double TokenClassifierDropout(ConfigJson config) =>
        config.DoubleOrNull("classifier_dropout") ?? config.DoubleOrNull("hidden_dropout") ?? 0.1;

    /// <summary>The transformers class name for a family and head kind, e.g. ("qwen2", "ForSequenceClassification") → Qwen2ForSequenceClassification.</summary>
    public static string Architecture(string modelType, string kind) => modelType switch
    {
        "llama" => "Llama" + kind,
        "qwen2" => "Qwen2" + kind,
        "mistral" => "Mistral" + kind,
        "gpt2" => "GPT2" + kind,
        _ => throw new UserError($"config.json: model_type '{modelType}' has no {kind} head here"),
    };
}
