namespace TuneSharp.Training;

/// <summary>
/// Something that decides which training examples go into each micro-batch of an epoch, in place of the plain
/// seeded shuffle (<see cref="DataOrder"/>): curriculum pacing, multi-task mixing. The batches of an epoch must be a
/// pure function of (seed, epoch) so that a resumed run sees exactly the batches it would have seen.
/// </summary>
public interface IBatchOrder
{
    /// <summary>Micro-batches of training-example indices for <paramref name="epoch"/>.</summary>
    List<int[]> Batches(int epoch);
}
