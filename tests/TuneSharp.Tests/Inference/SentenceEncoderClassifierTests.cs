using TuneSharp.Inference;
using TuneSharp.Models;
using TuneSharp.Models.Heads;
using TuneSharp.Tests.Tasks;
using TuneSharp.Tokenization;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Inference;

public sealed class SentenceEncoderClassifierTests
{
    [Fact]
    public void A_fine_tuned_classifier_folder_embeds_with_its_own_encoder()
    {
        using var encoder = SentenceEncoder.Load(TaskTestKit.Bert);
        var vectors = encoder.Embed(["hello world", "a longer second sentence here"]);

        // By hand: the classifier's bert.* body, its hidden states mean-pooled over the real tokens.
        using var classifier = Pretrained.LoadBertClassifier(TaskTestKit.Bert);
        var batch = encoder.Tokenizer.EncodeBatch(["hello world", "a longer second sentence here"],
            new EncodeOptions { Padding = Padding.Longest, PaddingSide = Side.Right });
        using var _ = no_grad();
        var ids = tensor(batch.InputIds.SelectMany(r => r.Select(v => (long)v)).ToArray()).reshape(2, -1);
        var mask = tensor(batch.AttentionMask.SelectMany(r => r.Select(v => (long)v)).ToArray()).reshape(2, -1);
        var pooled = SequencePooling.PoolMasked(classifier.bert.HiddenStates(ids, mask), mask, encoder.Config.Pooling);
        if (encoder.Config.Normalize) pooled = nn.functional.normalize(pooled, p: 2, dim: 1);
        for (int b = 0; b < 2; b++)
            Assert.Equal(pooled[b].data<float>().ToArray(), vectors[b], (x, y) => Math.Abs(x - y) < 1e-5f);
        Assert.Equal(classifier.Config.hidden_size, encoder.Dimension);
    }
}
