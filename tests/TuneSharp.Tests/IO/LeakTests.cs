using TorchSharp;
using TuneSharp.IO;
using static TorchSharp.torch;

namespace TuneSharp.Tests.IO;

/// <summary>Loading and saving leave no live tensors behind (counted per thread, so parallel tests do not interfere).</summary>
public class LeakTests
{
    [Fact]
    public void Load_and_save_leave_no_live_tensors()
    {
        using var dir = new TempDir();
        var model = nn.Sequential(("fc1", nn.Linear(4, 8)), ("fc2", nn.Linear(8, 3)));
        var state = model.named_parameters().Select(p => KeyValuePair.Create(p.name, (Tensor)p.parameter)).ToList();
        CheckpointWriter.Save(dir.Path, state, dtype: ScalarType.Float16); // warm-up; the F16 path makes temporaries

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++)
        {
            CheckpointWriter.Save(dir.Path, state, dtype: ScalarType.Float16);
            using var ck = Checkpoint.Open(dir.Path);
            StateDictLoader.Load(model, ck); // F16 file into F32 parameters: a temporary per tensor
            using var t = ck.Read("fc1.weight", ScalarType.Float32);
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
