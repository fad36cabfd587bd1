namespace TuneSharp.Generation.Continuous;

/// <summary>
/// A sequence in the running batch: its request and row there, its KV-cache slot, how many of its positions are
/// cached, and the token picked last but not yet fed (null while its prompt is still being read).
/// </summary>
internal sealed class SequenceSlot(BatchedRequest request, int row)
{
    public BatchedRequest Request { get; } = request;
    public int Row { get; } = row;
    public GeneratedRow Generated => Request.Rows[Row];
    public int Slot { get; set; }
    /// <summary>Positions in the cache: prompt tokens read so far, then prompt + fed tokens.</summary>
    public long Cached { get; set; }
    public int? Pending { get; set; }
    public bool Prefilling => Pending is null;
    public int PromptLeft => Generated.Prompt.Count - (int)Cached;
}
