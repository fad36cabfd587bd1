using TuneSharp.Models;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Models.Bert;

/// <summary>BertModel.AllHiddenStates is transformers' output_hidden_states: the embeddings, then every block, the last equal to HiddenStates.</summary>
public sealed class AllHiddenStatesTests
{
    [Fact]
    public void Every_layer_comes_out_embeddings_first_and_the_last_is_the_sequence_output()
    {
        using var classifier = Pretrained.LoadBertClassifier(Fixtures.HfTiny("tiny-bert-cls"));
        var bert = classifier.bert;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[,] { { 2, 40, 41, 42, 1 }, { 2, 50, 1, 3, 3 } });               // (2, 5), row 2 right-padded
        var mask = tensor(new long[,] { { 1, 1, 1, 1, 1 }, { 1, 1, 1, 0, 0 } });
        var all = bert.AllHiddenStates(ids, mask);
        Assert.Equal(classifier.Config.num_hidden_layers + 1, all.Count);
        Assert.All(all, h => Assert.Equal(new long[] { 2, 5, classifier.Config.hidden_size }, h.shape));
        Assert.True(all[0].allclose(bert.embeddings.Forward(ids, zeros_like(ids)), rtol: 0, atol: 0));
        Assert.True(all[^1].allclose(bert.HiddenStates(ids, mask), rtol: 0, atol: 0));
        // Each block's output differs from its input (the list is not one tensor repeated).
        for (int l = 1; l < all.Count; l++) Assert.False(all[l].allclose(all[l - 1]));
    }
}
