using TuneSharp.Models.Heads;
using static TorchSharp.torch;

namespace TuneSharp.Tests.Tasks;

public class SequencePoolingTests
{
    [Fact]
    public void Mean_pooling_averages_non_pad_positions_only_and_last_reads_the_last_real_token()
    {
        using var scope = NewDisposeScope();
        // hidden (2, 4, 2): row 0 fully real, row 1 right-padded after 2 tokens (pad id 3).
        var hidden = tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 10, 20, 30, 40, 99, 99, 99, 99 }, [2, 4, 2]);
        var ids = tensor(new long[] { 5, 6, 7, 8, 5, 6, 3, 3 }, [2, 4]);
        var mean = SequencePooling.Pool(hidden, ids, 3, SequencePooling.Mean).data<float>().ToArray();
        Assert.Equal([4f, 5f, 20f, 30f], mean);
        var last = SequencePooling.Pool(hidden, ids, 3, SequencePooling.Last).data<float>().ToArray();
        Assert.Equal([7f, 8f, 30f, 40f], last);
        Assert.Throws<UserError>(() => SequencePooling.Check("max", "method.pooling"));
    }
}
