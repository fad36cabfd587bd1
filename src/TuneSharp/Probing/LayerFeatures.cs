using TuneSharp.Models.Bert;
using TuneSharp.Models.Heads;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Probing;

/// <summary>Word rows of every layer: <c>Layers[l]</c> is (N, C), row i the word <c>Rows[i]</c> (sentence, word index).</summary>
public sealed record WordFeatures(IReadOnlyList<float[,]> Layers, IReadOnlyList<(int Sentence, int Word)> Rows);

/// <summary>
/// What each layer of a frozen BERT encoder represents, read once for all layers in one forward per batch
/// (<see cref="BertModel.AllHiddenStates"/>): layer 0 is the embeddings' output, layer l the output of block l. A
/// word is read at its first sub-token (<see cref="WordAlignment"/>, as the token-classification task labels it); a
/// text is the mean over its tokens, [CLS] and [SEP] included (sentence-transformers' mean pooling). Inputs are
/// batched by length so that little padding is computed; the padding is masked, so a row does not depend on its batch.
/// </summary>
public static class LayerFeatures
{
    /// <summary>Features of every word that survives truncation to <paramref name="maxLength"/> tokens.</summary>
    public static WordFeatures Words(BertModel model, HfTokenizer tokenizer, IReadOnlyList<IReadOnlyList<string>> sentences, int maxLength, int batchSize)
    {
        var aligned = sentences.Select(s => WordAlignment.Align(tokenizer, s, maxLength)).ToList();
        var rows = new List<(int Sentence, int Word)>();
        var firstRow = new int[aligned.Count];                                // row of each sentence's first kept word
        for (int s = 0; s < aligned.Count; s++)
        {
            firstRow[s] = rows.Count;
            for (int w = 0; w < aligned[s].FirstToken.Length; w++)
                if (aligned[s].FirstToken[w] >= 0) rows.Add((s, w));
        }
        var layers = Extract(model, tokenizer, aligned.Select(a => a.Ids).ToList(), rows.Count, batchSize, (hidden, mask, batch) =>
        {
            // Flat positions b·T + t of each kept word's first token, in row order within the batch.
            long T = hidden.shape[1];
            var positions = new List<long>();
            var destination = new List<int>();
            for (int b = 0; b < batch.Count; b++)
            {
                int row = firstRow[batch[b]];
                foreach (var t in aligned[batch[b]].FirstToken)
                    if (t >= 0) { positions.Add(b * T + t); destination.Add(row++); }
            }
            var flat = hidden.reshape(-1, hidden.shape[2]);                                  // (B·T, C)
            return (flat.index_select(0, tensor(positions.ToArray(), device: hidden.device)), destination);  // (M, C)
        });
        return new WordFeatures(layers, rows);
    }

    /// <summary>The mean-pooled features (N, C) of every layer for <paramref name="texts"/>, truncated to <paramref name="maxLength"/> tokens.</summary>
    public static IReadOnlyList<float[,]> MeanPooled(BertModel model, HfTokenizer tokenizer, IReadOnlyList<string> texts, int maxLength, int batchSize)
    {
        var ids = tokenizer.EncodeBatch(texts, new EncodeOptions { Padding = Tokenization.Padding.None, Truncation = true, MaxLength = maxLength }).InputIds;
        return Extract(model, tokenizer, ids, texts.Count, batchSize,
            (hidden, mask, batch) => (SequencePooling.PoolMasked(hidden, mask, SequencePooling.Mean), batch)); // (B, C)
    }

    // The one loop: batches of examples of similar length, right-padded; every layer's states (B, T, C) go through
    // select, which returns the rows to keep (M, C) and where each goes in the output (N, C).
    static float[][,] Extract(BertModel model, HfTokenizer tokenizer, IReadOnlyList<int[]> ids, int rowCount, int batchSize,
        Func<Tensor, Tensor, IReadOnlyList<int>, (Tensor Rows, IReadOnlyList<int> Destination)> select)
    {
        int layerCount = model.encoder.layer.Count + 1;
        int width = (int)model.embeddings.word_embeddings.weight!.shape[1];
        var device = model.embeddings.word_embeddings.weight!.device;
        var result = Enumerable.Range(0, layerCount).Select(_ => new float[rowCount, width]).ToArray();
        var byLength = Enumerable.Range(0, ids.Count).OrderBy(i => ids[i].Length).ToList();
        long pad = tokenizer.PadTokenId ?? 0;
        using var noGrad = no_grad();
        for (int start = 0; start < byLength.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = byLength.GetRange(start, Math.Min(batchSize, byLength.Count - start));
            var rows = batch.Select(i => ids[i]).ToList();
            var mask = Rows.Mask(rows, device);                                              // (B, T)
            var hidden = model.AllHiddenStates(Rows.Pad(rows, pad, device), mask);           // layerCount × (B, T, C)
            for (int l = 0; l < layerCount; l++)
            {
                var (kept, destination) = select(hidden[l], mask, batch);
                var values = kept.to_type(ScalarType.Float32).cpu().data<float>().ToArray();   // (M·C)
                for (int m = 0; m < destination.Count; m++)
                    Buffer.BlockCopy(values, m * width * sizeof(float), result[l], destination[m] * width * sizeof(float), width * sizeof(float));
            }
        }
        return result;
    }
}
