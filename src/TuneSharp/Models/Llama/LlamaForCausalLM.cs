using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.Adapters.PromptTuning;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Models.Llama;

/// <summary>The transformer body. Keys: embed_tokens, layers.N, norm.</summary>
public sealed class LlamaModel : nn.Module
{
    public Embedding embed_tokens;
    public ModuleList<LlamaDecoderLayer> layers;
    public RmsNorm norm;

    public LlamaModel(LlamaConfig c, Device? device, ScalarType? dtype) : base(nameof(LlamaModel))
    {
        embed_tokens = Embeddings.Create(c.vocab_size, c.hidden_size, device, dtype);
        layers = nn.ModuleList(Enumerable.Range(0, c.num_hidden_layers).Select(_ => new LlamaDecoderLayer(c, device, dtype)).ToArray());
        norm = new RmsNorm(c.hidden_size, c.rms_norm_eps, device, dtype);
        RegisterComponents();
    }
}

/// <summary>
/// LlamaForCausalLM / Qwen2ForCausalLM / MistralForCausalLM. Keys: model.*, lm_head (absent when tied:
/// the logits then use model.embed_tokens.weight, one Parameter, never a copy).
/// </summary>
public sealed class LlamaForCausalLM : nn.Module, ICausalLM
{
    public LlamaModel model;
    public nn.Module<Tensor, Tensor>? lm_head; // Module<Tensor, Tensor>, not Linear: a LoRA adapter may stand in
    readonly RotaryEmbedding rope;

    public LlamaConfig Config { get; private set; }
    public CausalLMInfo Info { get; private set; }
    public nn.Module Module => this;
    public IReadOnlyCollection<string> TiedKeys { get; }

    public LlamaForCausalLM(LlamaConfig c, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaForCausalLM))
    {
        Config = c;
        model = new LlamaModel(c, device, dtype);
        if (!c.tie_word_embeddings) lm_head = nn.Linear(c.hidden_size, c.vocab_size, hasBias: false, device, dtype);
        TiedKeys = c.tie_word_embeddings ? ["lm_head.weight"] : [];
        // RoPE tables are computed, not loaded; on the meta device they are computed on CPU (never used).
        var ropeDevice = device is not null && device.type == DeviceType.META ? CPU : device ?? CPU;
        rope = new RotaryEmbedding(c.head_dim, c.rope, ropeDevice);
        Info = new CausalLMInfo(c.model_type, c.vocab_size, c.hidden_size, c.num_hidden_layers, c.max_position_embeddings, c.eos_token_id, c.pad_token_id);
        RegisterComponents();
    }

    public Tensor HiddenStates(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, IKvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        long past = cache?.Length ?? 0;
        var device = model.embed_tokens.weight!.device;
        var words = model.embed_tokens.forward(inputIds.to(device));             // (B, T, C)
        // With a soft prompt: (B, n+T, C) on the first pass, whose n prompt outputs are dropped at the end.
        var (x, attention, positions, skip) = DecoderPromptInput.Of(prompt_encoder, words, attentionMask, positionIds, past);
        var (cos, sin) = rope.CosSin(positions, x.dtype);                         // (B, 1, T, hd)
        var mask = AttentionMasks.Causal(attention, x.shape[1], past, device);
        for (int i = 0; i < model.layers.Count; i++)
        {
            var layer = model.layers[i]; int index = i;
            x = GradientCheckpointing && training && cache is null
                ? ActivationCheckpoint.Run(x, cos, sin, mask, (h, c, s, m) => layer.Forward(h, c!, s!, m, null, index))
                : layer.Forward(x, cos, sin, mask, cache, i);
        }
        x = model.norm.forward(x);
        return (skip == 0 ? x : x.narrow(1, skip, x.shape[1] - skip)).MoveToOuterDisposeScope();
    }

    /// <summary>Prompt tuning's soft prompt (null = none); see <see cref="ICausalLM.Prompt"/>.</summary>
    public PromptEmbedding? prompt_encoder;

    public PromptEmbedding? Prompt => prompt_encoder;

    public void AttachPrompt(PromptEmbedding prompt)
    {
        prompt_encoder = prompt.AttachTo(this, prompt_encoder);
        Info = Info with { MaxPositionEmbeddings = Info.MaxPositionEmbeddings - prompt.Count };
    }

    public Tensor InputEmbeddings => model.embed_tokens.weight!;

    /// <summary>
    /// Grows the vocabulary to <paramref name="newVocabSize"/> rows (after tokens were added to the tokenizer):
    /// embed_tokens and an untied lm_head get new rows equal to the mean of the old ones (see
    /// <see cref="EmbeddingResize"/>); a tied lm_head follows embed_tokens. Config and Info report the new size.
    /// </summary>
    public void ResizeTokenEmbeddings(int newVocabSize)
    {
        model.embed_tokens.weight = EmbeddingResize.MeanRows(model.embed_tokens.weight!, newVocabSize);
        if (lm_head is Linear head) head.weight = EmbeddingResize.MeanRows(head.weight!, newVocabSize);
        Config = Config with { vocab_size = newVocabSize };
        Info = Info with { VocabSize = newVocabSize };
    }

    public Tensor? LmHeadWeight => lm_head is null ? model.embed_tokens.weight : lm_head is Linear head ? head.weight : null;

    public bool GradientCheckpointing { get; set; }

    public Tensor LmHead(Tensor hidden) =>
        lm_head is not null ? lm_head.forward(hidden) : nn.functional.linear(hidden, model.embed_tokens.weight!);

    protected override void Dispose(bool disposing)
    {
        if (disposing) rope.Dispose();
        base.Dispose(disposing);
    }
}
