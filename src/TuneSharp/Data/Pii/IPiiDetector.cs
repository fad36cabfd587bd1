namespace TuneSharp.Data.Pii;

/// <summary>
/// Finds candidate spans of one PII type; <see cref="PiiScrubber"/> resolves overlaps between detectors. Public so
/// that a detector built on a model (Inference's person-name detector) can join the rule-based ones.
/// </summary>
public interface IPiiDetector
{
    /// <summary>The type this detector reports.</summary>
    PiiType Type { get; }

    /// <summary>All validated spans of <see cref="Type"/> in the text (they may overlap each other).</summary>
    IEnumerable<PiiFinding> Find(string text);
}
