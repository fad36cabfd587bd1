using TuneSharp.Models.Bert;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models.Bert;

/// <summary>The MLM head: Hugging Face keys, the decoder tied to the word embeddings, and the masked-position loss.</summary>
public class BertForMaskedLMTests
{
    static BertConfig Config => new()
    {
        vocab_size = 50, hidden_size = 16, num_hidden_layers = 1, num_attention_heads = 2, intermediate_size = 32,
        max_position_embeddings = 32, hidden_dropout_prob = 0, attention_probs_dropout_prob = 0,
    };

    [Fact]
    public void Keys_are_transformers_and_the_decoder_is_the_word_embedding_table()
    {
        manual_seed(0);
        using var model = new BertForMaskedLM(Config);
        var keys = model.state_dict().Keys.ToList();
        foreach (var k in BertForMaskedLM.HeadKeys) Assert.Contains(k, keys);
        Assert.Contains("bert.embeddings.word_embeddings.weight", keys);
        Assert.DoesNotContain(keys, k => k.Contains("decoder", StringComparison.Ordinal) || k.Contains("pooler", StringComparison.Ordinal));
        Assert.Equal([50L], model.cls.predictions.bias.shape);

        AssertTied(model, 3);
        model.ResizeTokenEmbeddings(53);
        AssertTied(model, 52);
        Assert.Equal([53L], model.cls.predictions.bias.shape);
        Assert.Equal([53L], model.state_dict()["cls.predictions.bias"].shape);
        Assert.Equal(53L, model.parameters().Single(p => p.shape.SequenceEqual([53L])).shape[0]); // the grown bias is the registered one
    }

    // Writing a row of the embedding table shows in the decoder weight: one storage, not a copy.
    static void AssertTied(BertForMaskedLM model, int row)
    {
        using (no_grad()) model.bert.embeddings.word_embeddings.weight![row].fill_(7.0);
        Assert.True(model.DecoderWeight[row].eq(7.0).all().item<bool>());
        Assert.Equal(model.bert.embeddings.word_embeddings.weight!.shape, model.DecoderWeight.shape);
    }

    [Fact]
    public void Logits_are_the_transform_times_the_embeddings_plus_bias_and_the_loss_reads_masked_positions_only()
    {
        manual_seed(1);
        using var model = new BertForMaskedLM(Config);
        model.eval();
        using (no_grad()) model.cls.predictions.bias.normal_();
        var ids = tensor(new long[,] { { 1, 5, 7, 9, 2 }, { 1, 8, 3, 2, 0 } });
        var mask = tensor(new long[,] { { 1, 1, 1, 1, 1 }, { 1, 1, 1, 1, 0 } });
        var logits = model.Logits(ids, mask);
        Assert.Equal([2L, 5, 50], logits.shape);
        var hidden = model.bert.HiddenStates(ids, mask);
        var expected = model.cls.predictions.transform.forward(hidden).matmul(model.bert.embeddings.word_embeddings.weight!.t()) + model.cls.predictions.bias;
        Assert.True(logits.allclose(expected, rtol: 1e-5, atol: 1e-6));

        var labels = tensor(new long[,] { { -100, 5, -100, 9, -100 }, { -100, -100, 3, -100, -100 } });
        var loss = model.Loss(ids, mask, null, labels);
        var full = nn.functional.cross_entropy(logits.reshape(-1, 50), labels.reshape(-1), ignore_index: -100);
        Assert.Equal(full.item<float>(), loss.item<float>(), 5);

        // The tied decoder trains the embedding rows of the masked-position targets through the head.
        loss.backward();
        var grad = model.bert.embeddings.word_embeddings.weight!.grad!;
        Assert.True(grad[40].abs().sum().item<float>() > 0); // id 40 is in no input: its gradient comes from the decoder

        // No selected position: zero, not NaN.
        var none = model.Loss(ids, mask, null, full_like(labels, -100));
        Assert.Equal(0f, none.item<float>());
    }
}
