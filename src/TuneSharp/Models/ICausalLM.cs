using TorchSharp;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Models;

/// <summary>Facts about a causal LM that generation, training and serving need.</summary>
public sealed record CausalLMInfo(
    string ModelType,
    int VocabSize,
    int HiddenSize,
    int NumLayers,
    int MaxPositionEmbeddings,
    IReadOnlyList<int> EosTokenIds,
    int? PadTokenId);

/// <summary>A decoder-only language model (Llama, Qwen2, Mistral, GPT-2).</summary>
public interface ICausalLM : IDisposable
{
    CausalLMInfo Info { get; }

    /// <summary>The module holding every parameter, with Hugging Face key names.</summary>
    nn.Module Module { get; }

    /// <summary>Checkpoint keys that alias another parameter (tied lm_head), skipped on load and save.</summary>
    IReadOnlyCollection<string> TiedKeys { get; }

    /// <summary>
    /// Final hidden states (B, T, C) after the last norm. input_ids (B, T) int64; attention_mask (B, P+T)
    /// with 1 for tokens (covers cached positions too), or a full 4D mask (B, 1, T, P+T), nonzero = may attend
    /// (e.g. block-diagonal causal for packed sequences); position_ids (B, T), default P..P+T-1.
    /// </summary>
    Tensor HiddenStates(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, IKvCache? cache = null);

    /// <summary>Logits (B, T, V) for hidden states (B, T, C).</summary>
    Tensor LmHead(Tensor hidden);

    /// <summary>
    /// The output projection (V, C) when <see cref="LmHead"/> is a plain bias-free linear map of it (tied or not), for
    /// <see cref="ChunkedCrossEntropy"/>; null when something else stands there (a LoRA adapter on lm_head).
    /// </summary>
    Tensor? LmHeadWeight { get; }

    /// <summary>Recompute each decoder block in backward instead of keeping its activations (<see cref="Common.ActivationCheckpoint"/>).</summary>
    bool GradientCheckpointing { get; set; }

    /// <summary>Logits (B, T, V).</summary>
    Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, IKvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        return LmHead(HiddenStates(inputIds, attentionMask, positionIds, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>An empty KV cache sized for this model.</summary>
    KvCache NewCache() => new(Info.NumLayers);

    /// <summary>The input word embeddings (V, C): what a text-initialised soft prompt copies its rows from.</summary>
    Tensor InputEmbeddings { get; }

    /// <summary>
    /// Prompt tuning's soft prompt (key prompt_encoder.embedding.weight), or null: its n vectors stand before every
    /// sequence, in positions 0..n-1 and a cache's first n slots (<see cref="Adapters.PromptTuning.DecoderPromptInput"/>).
    /// </summary>
    Adapters.PromptTuning.PromptEmbedding? Prompt { get; }

    /// <summary>Attaches a soft prompt; <see cref="Info"/>'s MaxPositionEmbeddings then counts the positions left for tokens.</summary>
    void AttachPrompt(Adapters.PromptTuning.PromptEmbedding prompt);
}

/// <summary>Default position ids: P, P+1, ..., P+T-1 for every row, as transformers uses when none are given.</summary>
public static class PositionIds
{
    public static Tensor Default(Tensor inputIds, long pastLength) => Default(inputIds.shape[0], inputIds.shape[1], pastLength, inputIds.device);

    /// <summary>(B, T) positions P..P+T-1 on <paramref name="device"/>.</summary>
    public static Tensor Default(long batch, long length, long pastLength, Device device) =>
        arange(pastLength, pastLength + length, dtype: ScalarType.Int64, device: device).unsqueeze(0).expand(batch, -1);
}
