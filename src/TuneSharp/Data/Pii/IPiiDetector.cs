namespace TuneSharp.Data.Pii;

/// <summary>Finds candidate spans of one PII type; <see cref="PiiScrubber"/> resolves overlaps between detectors.</summary>
internal interface IPiiDetector
{
    /// <summary>The type this detector reports.</summary>
    PiiType Type { get; }

    /// <summary>All validated spans of <see cref="Type"/> in the text (they may overlap each other).</summary>
    IEnumerable<PiiFinding> Find(string text);
}
