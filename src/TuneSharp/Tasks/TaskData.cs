using TuneSharp.Data;

namespace TuneSharp.Tasks;

/// <summary>The record streams of a task; validation and test are optional.</summary>
/// <param name="Train">Training records (must not be empty).</param>
/// <param name="Validation">Validation records, or null.</param>
/// <param name="Test">Test records, or null.</param>
public sealed record TaskData(IEnumerable<DataRecord> Train, IEnumerable<DataRecord>? Validation = null, IEnumerable<DataRecord>? Test = null)
{
    /// <summary>The stream of a split (null when absent).</summary>
    public IEnumerable<DataRecord>? Of(Split split) => split switch
    {
        Split.Train => Train,
        Split.Validation => Validation,
        _ => Test,
    };
}
