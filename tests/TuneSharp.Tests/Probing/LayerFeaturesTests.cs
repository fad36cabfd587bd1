using TuneSharp.Models;
using TuneSharp.Models.Heads;
using TuneSharp.Probing;
using TuneSharp.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Probing;

/// <summary>
/// The probe's features are the model's own states: each sentence run alone (no batch, no padding) through the ordinary
/// forward gives the same vectors as the probe's batched, length-sorted, all-layers read.
/// </summary>
public sealed class LayerFeaturesTests
{
    static readonly string[][] Sentences =
    [
        ["Return", "the", "number", "of", "items", "in", "a", "container", "."],
        ["A", "tiny", "model"],
        ["Fine-tuning", "needs", "data", "."],
    ];

    [Fact]
    public void Word_features_of_the_last_layer_and_of_the_embeddings_equal_the_model_states()
    {
        var dir = Fixtures.HfTiny("tiny-bert-cls");
        using var classifier = Pretrained.LoadBertClassifier(dir);
        var bert = classifier.bert;
        var tokenizer = HfTokenizer.Load(dir);
        var features = LayerFeatures.Words(bert, tokenizer, Sentences, maxLength: 64, batchSize: 2);

        Assert.Equal(classifier.Config.num_hidden_layers + 1, features.Layers.Count);
        Assert.Equal(Sentences.Sum(s => s.Length), features.Rows.Count);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < features.Rows.Count; i++)
        {
            var (s, w) = features.Rows[i];
            var aligned = WordAlignment.Align(tokenizer, Sentences[s], 64);
            var ids = tensor(aligned.Ids.Select(x => (long)x).ToArray()).unsqueeze(0);               // (1, T)
            int t = aligned.FirstToken[w];
            var last = bert.HiddenStates(ids)[0, t];                                                  // (C,)
            var embedded = bert.embeddings.Forward(ids, zeros_like(ids))[0, t];                      // (C,)
            AssertRow(last, features.Layers[^1], i);
            AssertRow(embedded, features.Layers[0], i);
        }
    }

    [Fact]
    public void Mean_pooled_features_of_the_last_layer_equal_the_mean_of_the_model_states()
    {
        var dir = Fixtures.HfTiny("tiny-bert-cls");
        using var classifier = Pretrained.LoadBertClassifier(dir);
        var bert = classifier.bert;
        var tokenizer = HfTokenizer.Load(dir);
        string[] texts = ["Return the number of items in a container.", "A tiny model", "Fine-tuning needs data, and more data."];
        var layers = LayerFeatures.MeanPooled(bert, tokenizer, texts, maxLength: 64, batchSize: 2);

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < texts.Length; i++)
        {
            var ids = tensor(tokenizer.Encode(texts[i]).Select(x => (long)x).ToArray()).unsqueeze(0); // (1, T)
            AssertRow(bert.HiddenStates(ids)[0].mean([0]), layers[^1], i);                            // mean over T
            AssertRow(bert.embeddings.Forward(ids, zeros_like(ids))[0].mean([0]), layers[0], i);
        }
    }

    // Padding and batching change the float summation order, not the values beyond rounding.
    static void AssertRow(Tensor expected, float[,] features, int row)
    {
        var want = expected.data<float>().ToArray();
        for (int c = 0; c < want.Length; c++) Assert.Equal(want[c], features[row, c], 4);
    }
}
