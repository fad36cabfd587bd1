using TorchSharp;
using TuneSharp.IO;
using TuneSharp.Models;
using TuneSharp.Models.Bert;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Inference;

/// <summary>
/// Sentence embeddings from a model folder, as sentence-transformers computes them: tokenize (truncated to the
/// folder's max_seq_length), run the encoder (a BertModel folder, e.g. one that <c>models import</c> wrote, or a
/// causal LM's hidden states), pool per <see cref="SentenceEmbeddingConfig"/> and optionally L2-normalise.
/// </summary>
public sealed class SentenceEncoder : IDisposable
{
    readonly BertModel? bert;
    readonly ICausalLM? lm;
    readonly nn.Module? owner; // the fine-tuned classifier whose body this encoder is, disposed with it
    readonly Device device;

    SentenceEncoder(HfTokenizer tokenizer, SentenceEmbeddingConfig config, int maxLength, BertModel? bert, ICausalLM? lm, Device device, nn.Module? owner = null)
    {
        Tokenizer = tokenizer; Config = config; MaxLength = maxLength; this.bert = bert; this.lm = lm; this.device = device; this.owner = owner;
    }

    public HfTokenizer Tokenizer { get; }
    public SentenceEmbeddingConfig Config { get; }
    /// <summary>Longest input in tokens (special tokens included); longer texts are truncated.</summary>
    public int MaxLength { get; }
    /// <summary>The encoder's module (for tests and probes).</summary>
    public nn.Module Module => bert ?? lm!.Module;
    /// <summary>Width of the vectors.</summary>
    public int Dimension { get; private set; }

    /// <summary>
    /// Loads <paramref name="dir"/> in eval mode: a BERT folder with BertModel keys (with or without the pooler), or a
    /// fine-tuned BertForSequenceClassification folder (bert.* keys), whose encoder then embeds.
    /// </summary>
    public static SentenceEncoder Load(string dir, Device? device = null)
    {
        device ??= CPU;
        var config = Pretrained.Config(dir);
        var tokenizer = HfTokenizer.Load(dir);
        var pooling = SentenceEmbeddingConfig.Read(dir);
        if (ModelFactory.ModelType(config) == "bert")
        {
            var bc = BertConfig.From(config);
            int max = Math.Min(pooling.MaxSeqLength ?? bc.max_position_embeddings, bc.max_position_embeddings);
            bool classifier;
            using (var checkpoint = IO.Checkpoint.Open(dir)) classifier = checkpoint.Contains("bert.embeddings.word_embeddings.weight");
            if (classifier) // a fine-tuned BertForSequenceClassification: its encoder (bert.*) embeds, its head is unused
            {
                var fineTuned = Pretrained.LoadBertClassifier(dir, device);
                return new SentenceEncoder(tokenizer, pooling, max, fineTuned.bert, null, device, fineTuned) { Dimension = bc.hidden_size };
            }
            var model = Pretrained.LoadBertModel(dir, device);
            return new SentenceEncoder(tokenizer, pooling, max, model, null, device) { Dimension = bc.hidden_size };
        }
        var causal = Pretrained.LoadCausalLM(dir, config, device);
        int positions = causal.Info.MaxPositionEmbeddings;
        return new SentenceEncoder(tokenizer, pooling, Math.Min(pooling.MaxSeqLength ?? positions, positions), null, causal, device)
        { Dimension = config.Int(config.Has("hidden_size") ? "hidden_size" : "n_embd") };
    }

    /// <summary>Vectors for <paramref name="texts"/>, <paramref name="batchSize"/> at a time.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, int batchSize = 32)
    {
        var vectors = new List<float[]>(texts.Count);
        for (int i = 0; i < texts.Count; i += batchSize)
        {
            var batch = Tokenizer.EncodeBatch(texts.Skip(i).Take(batchSize).ToList(),
                new EncodeOptions { Truncation = true, MaxLength = MaxLength, Padding = Tokenization.Padding.Longest, PaddingSide = Side.Right });
            vectors.AddRange(EmbedIds(batch.InputIds, batch.AttentionMask));
        }
        return [.. vectors];
    }

    /// <summary>Vectors for already tokenized, unpadded rows (the server's token-id inputs).</summary>
    public float[][] EmbedIds(IReadOnlyList<IReadOnlyList<int>> rows)
    {
        int width = rows.Max(r => r.Count);
        int pad = Tokenizer.PadTokenId ?? 0;
        var ids = rows.Select(r => r.Concat(Enumerable.Repeat(pad, width - r.Count)).ToArray()).ToArray();
        var mask = rows.Select(r => Enumerable.Repeat(1, r.Count).Concat(Enumerable.Repeat(0, width - r.Count)).ToArray()).ToArray();
        return EmbedIds(ids, mask);
    }

    float[][] EmbedIds(int[][] ids, int[][] mask)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int rows = ids.Length, width = ids[0].Length;
        var idT = tensor(ids.SelectMany(r => r.Select(v => (long)v)).ToArray(), device: device).reshape(rows, width);   // (B, T)
        var maskT = tensor(mask.SelectMany(r => r.Select(v => (long)v)).ToArray(), device: device).reshape(rows, width); // (B, T)
        var hidden = (bert is not null ? bert.HiddenStates(idT, maskT) : lm!.HiddenStates(idT, maskT)).to_type(ScalarType.Float32); // (B, T, C)
        var pooled = Models.Heads.SequencePooling.PoolMasked(hidden, maskT, Config.Pooling);                                                            // (B, C)
        if (Config.Normalize) pooled = nn.functional.normalize(pooled, p: 2, dim: 1);
        var cpu = pooled.cpu();
        return Enumerable.Range(0, rows).Select(b => cpu[b].data<float>().ToArray()).ToArray();
    }

    public void Dispose()
    {
        if (owner is not null) owner.Dispose();
        else bert?.Dispose();
        lm?.Dispose();
    }
}
