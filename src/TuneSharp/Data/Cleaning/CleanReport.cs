using System.Globalization;
using System.Text;
using TuneSharp.Data.Pii;

namespace TuneSharp.Data.Cleaning;

/// <summary>
/// What a cleaning run did: rows read, kept and removed (by reason code), characters and rows changed by each
/// text step (<see cref="CleanSteps"/>), and PII findings by type.
/// </summary>
public sealed record CleanReport
{
    /// <summary>Rows read from the input.</summary>
    public required long Read { get; init; }
    /// <summary>Rows passed to the keep callback.</summary>
    public required long Kept { get; init; }
    /// <summary>Rows removed, by reason code (<see cref="RemovalReasons"/>).</summary>
    public required IReadOnlyDictionary<string, long> RemovedByReason { get; init; }
    /// <summary>Characters changed by each step (see <see cref="CleanSteps.ChangedCharacters"/>).</summary>
    public required IReadOnlyDictionary<string, long> CharactersChangedByStep { get; init; }
    /// <summary>Rows in which each step changed at least one character.</summary>
    public required IReadOnlyDictionary<string, long> RowsChangedByStep { get; init; }
    /// <summary>PII findings replaced, by type (in kept and removed rows alike).</summary>
    public required IReadOnlyDictionary<PiiType, long> PiiCounts { get; init; }
    /// <summary>Characters of selected text read.</summary>
    public required long InputCharacters { get; init; }
    /// <summary>Wall-clock time of the run.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Total rows removed.</summary>
    public long Removed => RemovedByReason.Values.Sum();

    /// <summary>A few human-readable lines for the CLI.</summary>
    public string Summary()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"read {Read}, kept {Kept}, removed {Removed} in {Elapsed.TotalSeconds:F1}s\n");
        foreach (var (reason, n) in RemovedByReason.OrderByDescending(p => p.Value)) sb.Append(inv, $"  removed {reason}: {n}\n");
        foreach (var (step, n) in CharactersChangedByStep) sb.Append(inv, $"  {step}: {n} characters in {RowsChangedByStep.GetValueOrDefault(step)} rows\n");
        foreach (var (type, n) in PiiCounts) sb.Append(inv, $"  pii {PiiTypes.Name(type)}: {n}\n");
        return sb.ToString().TrimEnd('\n');
    }
}
