using TorchSharp;
using TorchSharp.Modules;
using TuneSharp.Adapters.PromptTuning;
using TuneSharp.Models.Common;
using static TorchSharp.torch;

namespace TuneSharp.Models.Gpt2;

/// <summary>The GPT-2 body. Keys: wte, wpe, h.N, ln_f.</summary>
public sealed class Gpt2Model : nn.Module
{
    public Embedding wte, wpe;
    public ModuleList<Gpt2Block> h;
    public LayerNorm ln_f;

    public Gpt2Model(Gpt2Config c, Device? device, ScalarType? dtype) : base(nameof(Gpt2Model))
    {
        wte = Embeddings.Create(c.vocab_size, c.n_embd, device, dtype);
        wpe = Embeddings.Create(c.n_positions, c.n_embd, device, dtype);
        h = nn.ModuleList(Enumerable.Range(0, c.n_layer).Select(_ => new Gpt2Block(c, device, dtype)).ToArray());
        ln_f = nn.LayerNorm(c.n_embd, c.layer_norm_epsilon, device: device, dtype: dtype);
        RegisterComponents();
    }
}

/// <summary>
/// GPT2LMHeadModel. Keys: transformer.*; the lm_head is tied to transformer.wte (one Parameter),
/// so checkpoints carry no lm_head.weight.
/// </summary>
public sealed class Gpt2LMHeadModel : nn.Module, ICausalLM
{
    public Gpt2Model transformer;
    readonly double embdDropout;

    public Gpt2Config Config { get; private set; }
    public CausalLMInfo Info { get; private set; }
    public nn.Module Module => this;
    public IReadOnlyCollection<string> TiedKeys { get; } = ["lm_head.weight"];

    public Gpt2LMHeadModel(Gpt2Config c, Device? device = null, ScalarType? dtype = null) : base(nameof(Gpt2LMHeadModel))
    {
        if (!c.tie_word_embeddings) throw new UserError("config.json: key 'tie_word_embeddings': GPT-2 with an untied lm_head is not supported");
        Config = c;
        transformer = new Gpt2Model(c, device, dtype);
        embdDropout = c.embd_pdrop;
        Info = new CausalLMInfo("gpt2", c.vocab_size, c.n_embd, c.n_layer, c.n_positions, c.eos_token_id, c.pad_token_id);
        RegisterComponents();
    }

    public Tensor HiddenStates(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, IKvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        long past = cache?.Length ?? 0;
        var device = transformer.wte.weight!.device;
        var words = transformer.wte.forward(inputIds.to(device));                 // (B, T, C)
        // With a soft prompt: (B, n+T, C) on the first pass, whose n prompt outputs are dropped at the end.
        var (x, attention, positions, skip) = DecoderPromptInput.Of(prompt_encoder, words, attentionMask, positionIds, past);
        if (positions.max().item<long>() >= Config.n_positions)
            throw new UserError($"sequence of {past + x.shape[1]} tokens exceeds n_positions {Config.n_positions}");
        x = nn.functional.dropout(x + transformer.wpe.forward(positions), embdDropout, training);
        var mask = AttentionMasks.Causal(attention, x.shape[1], past, device);
        for (int i = 0; i < transformer.h.Count; i++)
        {
            var block = transformer.h[i]; int layer = i;
            x = GradientCheckpointing && training && cache is null
                ? ActivationCheckpoint.Run(x, mask, null, (h, m, _) => block.Forward(h, m, null, layer))
                : block.Forward(x, mask, cache, i);
        }
        x = transformer.ln_f.forward(x);
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

    public Tensor InputEmbeddings => transformer.wte.weight!;

    /// <summary>
    /// Grows the vocabulary to <paramref name="newVocabSize"/> rows: wte gets new rows equal to the mean of the
    /// old ones (see <see cref="EmbeddingResize"/>); the tied lm_head follows. Config and Info report the new size.
    /// </summary>
    public void ResizeTokenEmbeddings(int newVocabSize)
    {
        transformer.wte.weight = EmbeddingResize.MeanRows(transformer.wte.weight!, newVocabSize);
        Config = Config with { vocab_size = newVocabSize };
        Info = Info with { VocabSize = newVocabSize };
    }

    public Tensor LmHead(Tensor hidden) => nn.functional.linear(hidden, transformer.wte.weight!);

    public Tensor? LmHeadWeight => transformer.wte.weight;

    public bool GradientCheckpointing { get; set; }
}
