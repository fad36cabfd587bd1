using TuneSharp.FewShot;
using TuneSharp.Inference;
using TuneSharp.Tests.Tasks;

namespace TuneSharp.Tests.FewShot;

public sealed class SetFitTrainerTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("tunesharp-setfit-").FullName;

    public void Dispose() => Directory.Delete(root, true);

    [Fact]
    public void Contrastive_training_lowers_the_pair_loss_and_changes_the_encoder()
    {
        var rows = TaskTestKit.KeywordSentiment(16, 1).ToList();
        var texts = rows.Select(r => r.Fields["text"]!.ToString()).ToList();
        var labels = rows.Select(r => r.Fields["label"]!.ToString() == "pos" ? 1 : 0).ToList();
        using var encoder = SentenceEncoder.Load(TinyEncoder.Write(root));
        var before = encoder.Embed(texts);
        // The same pairs before and after: the loss over them must fall (several epochs over a small pair set).
        var losses = SetFitTrainer.Train(encoder, texts, labels, new SetFitOptions(num_iterations: 1, batch_size: 8, learning_rate: 1e-3, epochs: 6), seed: 2);
        Assert.Equal(6 * 4, losses.Count); // 2 · 1 · 16 pairs = 4 batches of 8, 6 epochs
        Assert.True(losses.TakeLast(4).Average() < 0.7 * losses.Take(4).Average(), $"loss {losses.Take(4).Average():0.000} → {losses.TakeLast(4).Average():0.000}");
        Assert.NotEqual(before[0], encoder.Embed(texts)[0]);
        Assert.False(encoder.Module.training, "the encoder is left in eval mode");
    }
}
