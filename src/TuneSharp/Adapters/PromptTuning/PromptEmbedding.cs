using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TuneSharp.Adapters.PromptTuning;

/// <summary>
/// The soft prompt: num_virtual_tokens trainable vectors (n, C) that stand before every input's word embeddings.
/// Key: embedding.weight (PEFT's PromptEmbedding; its adapter file calls the same tensor prompt_embeddings).
/// </summary>
public sealed class PromptEmbedding : nn.Module
{
    public Embedding embedding;

    /// <summary>A prompt of <paramref name="virtualTokens"/> vectors of width <paramref name="dim"/>, N(0, 1) as nn.Embedding starts.</summary>
    public PromptEmbedding(int virtualTokens, long dim, Device? device = null, ScalarType? dtype = null) : base(nameof(PromptEmbedding))
    {
        embedding = nn.Embedding(virtualTokens, dim, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>A prompt of <paramref name="virtualTokens"/> vectors shaped like <paramref name="wordEmbeddings"/>' rows (width, dtype, device).</summary>
    public static PromptEmbedding Like(Tensor wordEmbeddings, int virtualTokens) =>
        new(virtualTokens, wordEmbeddings.shape[1], wordEmbeddings.device, wordEmbeddings.dtype);

    /// <summary>
    /// Registers this prompt on <paramref name="owner"/> under prompt_encoder (key prompt_encoder.embedding.weight, the
    /// name PEFT gives it) and returns it; an owner that already has one (<paramref name="current"/>) is refused.
    /// </summary>
    public PromptEmbedding AttachTo(nn.Module owner, PromptEmbedding? current)
    {
        if (current is not null) throw new InvalidOperationException("the model already has a soft prompt");
        owner.register_module("prompt_encoder", this);
        return this;
    }

    /// <summary>The virtual tokens' vectors (n, C).</summary>
    public Tensor Vectors => embedding.weight!;

    /// <summary>Number of virtual tokens n.</summary>
    public int Count => (int)embedding.weight!.shape[0];

    /// <summary>
    /// (B, n, C) virtual vectors, then (B, T, C) word embeddings → (B, n+T, C); the prompt takes the words' dtype
    /// (bf16 under mixed precision).
    /// </summary>
    public Tensor Prepend(Tensor words) =>
        cat([Vectors.to(words.dtype).unsqueeze(0).expand(words.shape[0], -1, -1), words], 1);

    /// <summary>An attention mask (B, T) with n ones in front, (B, n+T): every token sees the prompt.</summary>
    public Tensor PrependMask(Tensor mask) =>
        cat([ones(mask.shape[0], Count, dtype: mask.dtype, device: mask.device), mask], 1);
}
