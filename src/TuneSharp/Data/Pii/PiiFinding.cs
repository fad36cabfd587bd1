namespace TuneSharp.Data.Pii;

/// <summary>One piece of PII found in a text: its type, where it is (UTF-16 offsets), and the original text.</summary>
public sealed record PiiFinding(PiiType Type, int Start, int Length, string Original)
{
    /// <summary>End offset (exclusive).</summary>
    public int End => Start + Length;
}

/// <summary>The text with findings replaced by placeholders, and the findings (offsets refer to the input text).</summary>
public sealed record ScrubResult(string Text, IReadOnlyList<PiiFinding> Findings)
{
    /// <summary>Number of findings of each type.</summary>
    public IReadOnlyDictionary<PiiType, int> Counts =>
        Findings.GroupBy(f => f.Type).ToDictionary(g => g.Key, g => g.Count());
}
